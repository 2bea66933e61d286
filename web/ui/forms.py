"""The pages' forms (Flask-WTF: every form carries and checks a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from scheduler.services.solving import MAX_TIME_LIMIT_SECONDS

MIN_SOLVE_SECONDS = 1


class SignInForm(FlaskForm):
    name = StringField("User name", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=500)])
    next = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes something (sign out, publish, lock, remove, revoke)."""


class UploadForm(FlaskForm):
    files = MultipleFileField("Scenario files", validators=[DataRequired()])
    name = StringField("Period name", validators=[Optional(), Length(max=200)])


class SolveForm(FlaskForm):
    time_limit_seconds = IntegerField(
        "Time limit (seconds)",
        default=60,
        validators=[InputRequired(), NumberRange(MIN_SOLVE_SECONDS, MAX_TIME_LIMIT_SECONDS)],
    )
    seed = IntegerField("Seed", default=0, validators=[InputRequired(), NumberRange(0, 2**31 - 1)])


class PublishForm(FlaskForm):
    """What the planner saw: the draft's version counter and the roster published then
    (its id, empty when none was), so a publish by someone else since is refused."""

    expected_version = HiddenField(validators=[DataRequired()])
    expected_published = HiddenField()


class AddShiftForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired()])
    shift = SelectField("Shift", validators=[DataRequired()], choices=[])


class AbsenceForm(FlaskForm):
    """A sick call or other absence recorded by a planner."""

    start_date = DateField("From", validators=[DataRequired()])
    end_date = DateField("To (inclusive)", validators=[DataRequired()])
    reason = StringField("Reason", default="sick", validators=[DataRequired(), Length(max=200)])


class PreferenceForm(FlaskForm):
    """One wish: ``kind`` (shift, day_off, avoid_date) and its value; the service checks
    the value against the agent's shifts, the weekdays or the period's dates."""

    kind = SelectField(
        "Kind",
        choices=["shift", "day_off", "avoid_date"],
        validators=[DataRequired()],
    )
    value = StringField("Value", validators=[DataRequired(), Length(max=64)])


class PreferenceLimitsForm(FlaskForm):
    shift = IntegerField(
        "Preferred shifts per agent", validators=[InputRequired(), NumberRange(0, 10)]
    )
    day_off = IntegerField(
        "Weekdays off per agent", validators=[InputRequired(), NumberRange(0, 3)]
    )
    avoid_date = IntegerField(
        "Dates to avoid per agent", validators=[InputRequired(), NumberRange(0, 14)]
    )


class RankForm(FlaskForm):
    confirm = IntegerField(
        "Candidates to confirm by a solve",
        default=2,
        validators=[InputRequired(), NumberRange(0, 3)],
    )
    confirm_seconds = IntegerField(
        "Seconds per confirming solve", default=10, validators=[InputRequired(), NumberRange(1, 30)]
    )

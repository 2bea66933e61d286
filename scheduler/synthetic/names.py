"""Plausible local names per site country, so an agents table reads like a real team."""

from __future__ import annotations

import random
import unicodedata

FIRST_AND_LAST: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "CA": (
        ("Olivia", "Liam", "Chloé", "Noah", "Émile", "Maya", "Ethan", "Sophie"),
        ("Tremblay", "Smith", "Roy", "Gagnon", "Wilson", "Côté", "Martin", "Singh"),
    ),
    "US": (
        ("Emma", "James", "Sofia", "Michael", "Ava", "Daniel", "Isabella", "Jacob"),
        ("Johnson", "Garcia", "Miller", "Davis", "Rodriguez", "Brown", "Lee", "Walker"),
    ),
    "MX": (
        ("Valentina", "Santiago", "Ximena", "Mateo", "Regina", "Diego", "Camila", "Emiliano"),
        ("Hernández", "García", "Martínez", "López", "González", "Pérez", "Ramírez", "Flores"),
    ),
    "BR": (
        ("Ana", "João", "Beatriz", "Lucas", "Mariana", "Gabriel", "Larissa", "Pedro"),
        ("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Almeida", "Ferreira"),
    ),
    "IE": (
        ("Aoife", "Conor", "Niamh", "Seán", "Ciara", "Darragh", "Róisín", "Cian"),
        ("Murphy", "Kelly", "O'Sullivan", "Walsh", "Byrne", "Ryan", "O'Brien", "Doyle"),
    ),
    "DE": (
        ("Lena", "Jonas", "Mia", "Felix", "Hannah", "Lukas", "Lea", "Maximilian"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann"),
    ),
    "CZ": (
        ("Tereza", "Jakub", "Eliška", "Jan", "Anna", "Tomáš", "Karolína", "Petr"),
        ("Novák", "Svoboda", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý", "Horák"),
    ),
    "FI": (
        ("Aino", "Eetu", "Sofia", "Juho", "Emilia", "Mikko", "Helmi", "Ville"),
        (
            "Korhonen",
            "Virtanen",
            "Mäkinen",
            "Nieminen",
            "Mäkelä",
            "Hämäläinen",
            "Laine",
            "Koskinen",
        ),
    ),
    "LV": (
        ("Anna", "Jānis", "Laura", "Mārtiņš", "Elīza", "Roberts", "Katrīna", "Kārlis"),
        ("Bērziņš", "Kalniņš", "Ozoliņš", "Liepa", "Krūmiņš", "Vītols", "Jansons", "Zariņš"),
    ),
    "PT": (
        ("Inês", "Tiago", "Matilde", "Rodrigo", "Leonor", "Duarte", "Carolina", "Afonso"),
        ("Ferreira", "Rodrigues", "Martins", "Sousa", "Gonçalves", "Gomes", "Lopes", "Marques"),
    ),
    "ES": (
        ("Lucía", "Hugo", "Martina", "Pablo", "Paula", "Álvaro", "Carmen", "Javier"),
        ("García", "Fernández", "López", "Sánchez", "Romero", "Navarro", "Torres", "Ruiz"),
    ),
    "IN": (
        ("Ananya", "Arjun", "Priya", "Rahul", "Kavya", "Vikram", "Divya", "Karthik"),
        ("Rao", "Sharma", "Reddy", "Iyer", "Nair", "Gowda", "Patel", "Kumar"),
    ),
    "UZ": (
        ("Madina", "Jasur", "Dilnoza", "Sardor", "Nilufar", "Bekzod", "Shahzoda", "Otabek"),
        (
            "Karimov",
            "Rakhimov",
            "Yusupova",
            "Tashkentova",
            "Abdullaev",
            "Ismoilova",
            "Nazarov",
            "Umarov",
        ),
    ),
    "JP": (
        ("Yui", "Haruto", "Sakura", "Ren", "Aoi", "Sota", "Hina", "Yuto"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
    ),
    "PH": (
        ("Maria", "Jose", "Angelica", "Mark", "Kristine", "John Paul", "Joy", "Miguel"),
        ("Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Villanueva"),
    ),
    "AU": (
        ("Charlotte", "Oliver", "Amelia", "William", "Isla", "Jack", "Matilda", "Thomas"),
        ("Smith", "Jones", "Williams", "Taylor", "Nguyen", "Brown", "Wilson", "Kelly"),
    ),
    "SG": (
        ("Wei Ling", "Jun Jie", "Hui Min", "Kai Xiang", "Nur Aisyah", "Arjun", "Xin Yi", "Rui En"),
        ("Tan", "Lim", "Lee", "Ng", "Wong", "Goh", "Chua", "Rahman"),
    ),
}


def random_name(rng: random.Random, country: str) -> str:
    firsts, lasts = FIRST_AND_LAST.get(country, FIRST_AND_LAST["US"])
    return f"{rng.choice(firsts)} {rng.choice(lasts)}"


def email_for(name: str, agent_id: str) -> str:
    """An ASCII work address; the id keeps two agents with the same name apart."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    local = ".".join(part.lower() for part in plain.replace("'", "").split())
    return f"{local}.{agent_id.lower()}@sunshift.example"

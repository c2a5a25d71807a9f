"""Spanish names, places and sentences for the seeded records (the demo data is in Spanish)."""
from __future__ import annotations

FIRST = ["Lucía", "Javier", "Marta", "Andrés", "Isabel", "Diego", "Nuria", "Óscar", "Pilar", "Sergio",
         "Rocío", "Hugo", "Inés", "Víctor", "Beatriz", "Álvaro"]
LAST = ["García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Fernández", "Ruiz", "Díaz", "Moreno",
        "Muñoz", "Álvarez", "Romero", "Navarro", "Torres", "Domínguez"]
CITIES = ["Madrid", "Barcelona", "Valencia", "Sevilla", "Zaragoza", "Málaga", "Bilbao", "Valladolid",
          "Murcia", "Palma", "Córdoba", "Alicante", "Vigo", "Gijón", "Granada", "Santander"]
STREETS = ["Calle Mayor", "Avenida de la Constitución", "Calle del Carmen", "Paseo de la Castellana",
           "Polígono Industrial Norte", "Calle Real", "Avenida de Andalucía", "Ronda de Poniente"]
BUSINESSES = ["Hotel", "Residencia", "Clínica", "Colegio", "Supermercados", "Oficinas", "Polideportivo",
              "Conservas", "Talleres", "Bodegas"]
PROBLEMS = [
    "La unidad exterior hace ruido al arrancar", "No enfría en la sala de máquinas",
    "Fuga de agua en el circuito primario", "La caldera se bloquea con error E04",
    "El compresor no arranca por la mañana", "Presión baja en el circuito de frío",
    "El termostato no responde", "Olor a quemado en el cuadro eléctrico",
]
SENTENCES = [
    "Cliente informado del plazo de respuesta.", "Se revisa la instalación y se toman fotos.",
    "Pendiente de confirmar la visita con el cliente.", "Se sustituye el presostato y se prueba el equipo.",
    "El cliente confirma que el equipo funciona correctamente.", "Se solicita el certificado de garantía.",
    "Llamada de seguimiento realizada.", "Se deja el equipo en observación durante 24 horas.",
    "Se protege el suelo y se limpia la zona al terminar.", "Se explica al usuario el uso correcto del equipo.",
]


def person(rng) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"


def city(rng) -> str:
    return rng.choice(CITIES)


def address(rng) -> str:
    return f"{rng.choice(STREETS)} {rng.randint(1, 180)}, {rng.choice(CITIES)}"


def phone(rng) -> str:
    return f"+34 9{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"


def company_name(rng, index: int) -> str:
    return f"{rng.choice(BUSINESSES)} {rng.choice(LAST)} {index + 1}"


def dealer_name(rng, index: int) -> str:
    return f"Distribuciones {rng.choice(LAST)} {rng.choice(CITIES)} {index + 1}"


def problem(rng) -> str:
    return rng.choice(PROBLEMS)


def sentence(rng) -> str:
    return rng.choice(SENTENCES)

"""English data for the normalization steps in :mod:`narrate.speech.normalize.en`.

Only words and tables live here; the patterns that use them are in ``en``.
"""

from __future__ import annotations

__all__ = [
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "ABBREVIATIONS",
    "BARE_ABBREVIATIONS",
    "NAME_TITLES",
    "BARE_TITLES",
    "PLACE_TITLES",
    "CURRENCIES",
    "CENTS",
    "SCALES",
    "UNITS",
    "SPACED_UNITS",
    "ATTACHED_UNITS",
    "VULGAR_FRACTIONS",
    "WORD_ACRONYMS",
    "SPECIAL_ACRONYMS",
    "REGNAL_NAMES",
    "COUNTED_NAMES",
    "NOT_NAMES",
    "SLASH_WORDS",
    "SYMBOLS",
    "TLDS",
]

MONTHS = (
    "January February March April May June July August September October November December"
).split()
"""Month names, January first."""

MONTH_ABBREVIATIONS = {
    "Jan": "January",
    "Feb": "February",
    "Mar": "March",
    "Apr": "April",
    "Jun": "June",
    "Jul": "July",
    "Aug": "August",
    "Sep": "September",
    "Sept": "September",
    "Oct": "October",
    "Nov": "November",
    "Dec": "December",
}
"""Month abbreviations, expanded before a day or a year ("Jan. 5", "Sept 2024")."""

ABBREVIATIONS = {
    "e.g.": "for example",
    "i.e.": "that is",
    "etc.": "et cetera",
    "vs.": "versus",
    "approx.": "approximately",
    "ca.": "circa",
    "cf.": "compare",
    "Inc.": "Incorporated",
    "Ltd.": "Limited",
    "Co.": "Company",
    "Corp.": "Corporation",
    "Bros.": "Brothers",
    "dept.": "department",
    "Dept.": "Department",
    "est.": "established",
    "fig.": "figure",
    "Fig.": "Figure",
    "vol.": "volume",
    "Vol.": "Volume",
    "a.m.": "a m",
    "p.m.": "p m",
}
"""Abbreviations written with their period, and what to say instead."""

BARE_ABBREVIATIONS = {"vs": "versus", "Ltd": "Limited", "approx": "approximately"}
"""Abbreviations also written without a period (British style)."""

NAME_TITLES = {
    "Mr": "Mister",
    "Mrs": "Missus",
    "Ms": "Miz",
    "Dr": "Doctor",
    "Prof": "Professor",
    "St": "Saint",
    "Gen": "General",
    "Gov": "Governor",
    "Sen": "Senator",
    "Rep": "Representative",
    "Lt": "Lieutenant",
    "Col": "Colonel",
    "Capt": "Captain",
    "Sgt": "Sergeant",
    "Rev": "Reverend",
    "Mt": "Mount",
    "Ft": "Fort",
}
"""Titles before a name ("Dr. Smith"); those in :data:`BARE_TITLES` also without a period."""

BARE_TITLES = frozenset({"Mr", "Mrs", "Ms", "Dr", "St", "Mt", "Prof"})
"""Titles that British style writes without a period ("Mr Smith", "St Paul's")."""

PLACE_TITLES = {
    "St": "Street",
    "Dr": "Drive",
    "Ave": "Avenue",
    "Rd": "Road",
    "Blvd": "Boulevard",
    "Jr": "Junior",
    "Sr": "Senior",
}
"""Abbreviations after a name ("Baker St.", "Martin Luther King Jr.")."""

CURRENCIES = {
    "US$": ("U S dollar", "U S dollars"),
    "A$": ("Australian dollar", "Australian dollars"),
    "C$": ("Canadian dollar", "Canadian dollars"),
    "HK$": ("Hong Kong dollar", "Hong Kong dollars"),
    "NZ$": ("New Zealand dollar", "New Zealand dollars"),
    "$": ("dollar", "dollars"),
    "£": ("pound", "pounds"),
    "€": ("euro", "euros"),
    "¥": ("yen", "yen"),
    "₹": ("rupee", "rupees"),
    "₩": ("won", "won"),
    "₽": ("ruble", "rubles"),
    "₺": ("lira", "lira"),
}
"""Currency signs written before the amount: (one, many)."""

CENTS = {
    "$": ("cent", "cents"),
    "€": ("cent", "cents"),
    "£": ("penny", "pence"),
}
"""The hundredth part of a currency, where amounts are written with two decimals."""

SCALES = {
    "k": "thousand",
    "thousand": "thousand",
    "m": "million",
    "mn": "million",
    "mln": "million",
    "million": "million",
    "b": "billion",
    "bn": "billion",
    "billion": "billion",
    "tn": "trillion",
    "trn": "trillion",
    "trillion": "trillion",
}
"""Scale words after an amount of money ("$2.5bn", "£3m", "$3 million")."""

UNITS = {
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "mph": ("mile per hour", "miles per hour"),
    "m/s": ("meter per second", "meters per second"),
    "km²": ("square kilometer", "square kilometers"),
    "km2": ("square kilometer", "square kilometers"),
    "m²": ("square meter", "square meters"),
    "m2": ("square meter", "square meters"),
    "sq ft": ("square foot", "square feet"),
    "sq mi": ("square mile", "square miles"),
    "m³": ("cubic meter", "cubic meters"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "℃": ("degree Celsius", "degrees Celsius"),
    "℉": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
    "km": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "mi": ("mile", "miles"),
    "ft": ("foot", "feet"),
    "yd": ("yard", "yards"),
    "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "ml": ("milliliter", "milliliters"),
    "ha": ("hectare", "hectares"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "MWh": ("megawatt hour", "megawatt hours"),
    "GWh": ("gigawatt hour", "gigawatt hours"),
    "TWh": ("terawatt hour", "terawatt hours"),
    "kW": ("kilowatt", "kilowatts"),
    "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
    "KB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"),
    "Mbps": ("megabit per second", "megabits per second"),
    "Gbps": ("gigabit per second", "gigabits per second"),
    "GHz": ("gigahertz", "gigahertz"),
    "MHz": ("megahertz", "megahertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "Hz": ("hertz", "hertz"),
    "mAh": ("milliamp hour", "milliamp hours"),
}
"""Units written after a number, with or without a space: (one, many)."""

SPACED_UNITS = {
    "m": ("meter", "meters"),
    "g": ("gram", "grams"),
    "min": ("minute", "minutes"),
}
"""Units read only after a space ("100 m"); attached, "m" may mean million."""

ATTACHED_UNITS = {
    "in": ("inch", "inches"),
    "pc": ("percent", "percent"),
    "p": ("penny", "pence"),
    "h": ("hour", "hours"),
}
"""Units read only when attached ("55in"); after a space they are ordinary words."""

VULGAR_FRACTIONS = {
    "½": (1, 2),
    "⅓": (1, 3),
    "⅔": (2, 3),
    "¼": (1, 4),
    "¾": (3, 4),
    "⅕": (1, 5),
    "⅖": (2, 5),
    "⅗": (3, 5),
    "⅘": (4, 5),
    "⅙": (1, 6),
    "⅚": (5, 6),
    "⅛": (1, 8),
    "⅜": (3, 8),
    "⅝": (5, 8),
    "⅞": (7, 8),
    "⅐": (1, 7),
    "⅑": (1, 9),
    "⅒": (1, 10),
}
"""Single-character fractions: (numerator, denominator)."""

WORD_ACRONYMS = frozenset(
    """
    NATO NASA UNESCO UNICEF FIFA UEFA OPEC AIDS COVID GIF LASER RADAR SCUBA NAFTA ASEAN
    SARS MERS ISIS NIMBY OFCOM OFSTED OFGEM INTERPOL EUROPOL FRONTEX CERN IKEA LEGO PIN
    SIM RAM ROM CAPTCHA SWAT DARPA FEMA HAMAS NASDAQ DAX MAGA WASP YOLO ASAP POTUS SCOTUS
    FLOTUS ACAS UNIFIL MONUSCO AUKUS OSCE BAFTA SPAC ECOWAS MERCOSUR BRICS
    CONCACAF APEC NEET QUANGO SNAP TASER ZIP PEP KFOR SEAL SEALS
    """.split()
)
"""Acronyms said as a word ("NATO" -> "Nato"); other short ones are spelled."""

SPECIAL_ACRONYMS = {
    "OK": "okay",
    "JPEG": "jay peg",
    "FTSE": "Footsie",
    "IEEE": "I triple E",
    "NAACP": "N double A C P",
    "NCAA": "N C double A",
    "AAA": "triple A",
    "WWII": "World War Two",
    "WWI": "World War One",
    "NOAA": "Noah",
}
"""Acronyms with their own reading."""

REGNAL_NAMES = frozenset(
    """
    Elizabeth Charles James George Henry Edward William Mary Victoria Anne Richard John
    Stephen Louis Philip Felipe Carlos Juan Peter Catherine Ivan Nicholas Alexander Frederick
    Wilhelm Friedrich Napoleon Ludwig Gustav Harald Olav Haakon Christian Frederik Margrethe
    Leopold Albert Baudouin Umberto Vittorio Emmanuel Benedict Pius Gregory Leo Innocent
    Clement Paul Urban Boniface Sixtus Francis Rama Constantine Justinian Ptolemy Ramesses
    Amenhotep Thutmose Cyrus Darius Xerxes Antiochus Herod Malcolm Robert David Alfonso
    Ferdinand Isabella Sancho Pedro Manuel Otto Rudolf Maximilian Joseph Sigismund Casimir
    Sobieski Willem Beatrix Mohammed Abdullah Hussein Faisal Fahd Salman Akihito Naruhito
    """.split()
)
"""Names followed by a roman numeral read as an ordinal ("Henry VIII" -> "Henry the Eighth")."""

COUNTED_NAMES = frozenset(
    """
    War Part Chapter Volume Phase Act Article Title Type Stage Level Class Grade Round Season
    Episode Book Schedule Section Annex Apollo Gemini Vatican Rocky Star Wars Final Fantasy
    Bowl Tier Category League Division Mark
    """.split()
)
"""Words followed by a roman numeral read as a cardinal ("World War II" -> "World War Two")."""

NOT_NAMES = frozenset(
    "The A An In On At Of For And But Or To By With From This That These Those Its His Her "
    "Their Our My Your".split()
)
"""Capitalized words that are no name, so a roman numeral after them is none ("The IV drip")."""

SLASH_WORDS = {
    "and/or": "and or",
    "he/she": "he or she",
    "him/her": "him or her",
    "his/her": "his or her",
    "s/he": "she or he",
    "24/7": "twenty-four seven",
    "9/11": "nine eleven",
    "w/o": "without",
}
"""Words written with a slash and their reading."""

SYMBOLS = {
    "&": " and ",
    "=": " equals ",
    "+": " plus ",
    "×": " times ",
    "÷": " divided by ",
    "≈": " approximately ",
    "~": " about ",
    "±": " plus or minus ",
    "§": " section ",
    "%": " percent ",
    "‰": " per mille ",
    "°": " degrees ",
    "@": " at ",
    "/": " slash ",
}
"""Symbols said as words where no earlier step gave them a better reading."""

TLDS = frozenset(
    """
    com org net edu gov mil int info biz io ai co uk de fr it es nl eu us ca au nz ie ch at be
    dk se no fi pl cz ru cn jp in br mx za tv me app dev news online ly gl
    """.split()
)
"""Top-level domains that mark a bare host name ("bbc.co.uk") as a web address."""

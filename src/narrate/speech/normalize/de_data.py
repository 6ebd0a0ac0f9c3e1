"""German language data for the normalization steps: words only, no machinery.

Keys are written as in articles; values are what a German reader says. The
steps in :mod:`narrate.speech.normalize.de` decide when each table applies.
"""

from __future__ import annotations

__all__ = [
    "MONTHS",
    "MONTH_NUMBERS",
    "WEEKDAY_ABBREVIATIONS",
    "AGENCIES",
    "WRITTEN_NAMES",
    "RIVERS",
    "ABBREVIATIONS",
    "NUMBER_ABBREVIATIONS",
    "NAME_ABBREVIATIONS",
    "BARE_ABBREVIATIONS",
    "AFTER_NUMBER_ABBREVIATIONS",
    "MAGNITUDES",
    "MAGNITUDE_FORMS",
    "LAW_CODES",
    "ADJECTIVE_ABBREVIATIONS",
    "ROMAN_LABELS",
    "REGNAL_NAMES",
    "FEMALE_REGNAL_NAMES",
    "REGNAL_TITLES",
    "PHONE_WORDS",
    "POSTCODE_WORDS",
    "TOP_LEVEL_DOMAINS",
    "UNITS",
    "CURRENCIES",
    "ENDINGS",
    "DATIVE_PREPOSITIONS",
    "ACCUSATIVE_PREPOSITIONS",
    "ACRONYM_WORDS",
    "SPELLED_WORDS",
    "CAPS_WORDS",
    "INITIALISMS",
    "COUNTING_WORDS",
    "LABEL_WORDS",
    "ADJECTIVE_NOUNS",
    "ONE_DATIVE_WORDS",
    "ONE_ACCUSATIVE_WORDS",
    "DECIMAL_NOUNS",
    "ENUMERATION_STARTS",
    "PLACE_VERBS",
    "MATCH_WORDS",
    "TIME_PREPOSITIONS",
    "PER_NOUNS",
    "NUMBER_SUFFIXES",
    "FRACTIONS",
    "DENOMINATORS",
    "SYMBOLS",
    "gender",
]

MONTHS = (
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
).split()
"""The month names, January first."""

MONTH_NUMBERS: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(MONTHS, 1)},
    "jänner": 1,
    "jan": 1,
    "feb": 2,
    "mär": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "nov": 11,
    "dez": 12,
}
"""Month names and abbreviations (lower case, without period) -> month number."""

WEEKDAY_ABBREVIATIONS = {
    "Mo.": "Montag",
    "Di.": "Dienstag",
    "Mi.": "Mittwoch",
    "Do.": "Donnerstag",
    "Fr.": "Freitag",
    "Sa.": "Samstag",
    "So.": "Sonntag",
}
"""Weekdays, expanded before a date (``Fr., 3. Mai``) and in ranges (``Mo.–Fr.``)."""

AGENCIES = frozenset(
    "dpa AFP afp AP ap Reuters rtr epd KNA kna sid SID dts ddp APA apa sda SDA AFX dpa-AFX "
    "Keystone-SDA EFE ANSA Xinhua ots lby lni lnw lhe lrs lsw lno lmv lsa lth lbn tmn "
    "dpa-infocom".split()
)
"""News agencies whose tag in a dateline (``Berlin (dpa) – ...``) a newsreader skips."""

WRITTEN_NAMES = {
    "ver.di": "Verdi",
    "Ver.di": "Verdi",
    "Frankfurt/M.": "Frankfurt am Main",
    "Frankfurt a. M.": "Frankfurt am Main",
    "Frankfurt a.M.": "Frankfurt am Main",
    "Freiburg i. Br.": "Freiburg im Breisgau",
    "v. d. Höhe": "vor der Höhe",
    "Freiburg i.Br.": "Freiburg im Breisgau",
}
"""Names written with dots or slashes that are read otherwise (``ver.di`` -> ``Verdi``)."""

RIVERS = {
    "Main": "am Main",
    "M.": "am Main",
    "Oder": "an der Oder",
    "Saale": "an der Saale",
    "Ruhr": "an der Ruhr",
    "Donau": "an der Donau",
    "Elbe": "an der Elbe",
    "Lahn": "an der Lahn",
    "Havel": "an der Havel",
    "Spree": "an der Spree",
    "Isar": "an der Isar",
    "Mosel": "an der Mosel",
    "Weser": "an der Weser",
    "Neckar": "am Neckar",
    "Rhein": "am Rhein",
    "Inn": "am Inn",
}
"""Rivers after a town and ``/`` (``Frankfurt/Oder``) -> how the town's name goes on."""

ABBREVIATIONS = {
    "z. B.": "zum Beispiel",
    "u. a.": "unter anderem",
    "d. h.": "das heißt",
    "i. d. R.": "in der Regel",
    "v. a.": "vor allem",
    "z. T.": "zum Teil",
    "o. ä.": "oder Ähnliches",
    "o. Ä.": "oder Ähnliches",
    "u. ä.": "und Ähnliches",
    "u. Ä.": "und Ähnliches",
    "u. U.": "unter Umständen",
    "u. v. m.": "und vieles mehr",
    "m. E.": "meines Erachtens",
    "s. o.": "siehe oben",
    "s. u.": "siehe unten",
    "i. A.": "im Auftrag",
    "i. V.": "in Vertretung",
    "a. D.": "außer Dienst",
    "v. Chr.": "vor Christus",
    "n. Chr.": "nach Christus",
    "e. V.": "eingetragener Verein",
    "z. Zt.": "zurzeit",
    "z. Hd.": "zu Händen",
    "o. g.": "oben genannt",
    "i. H. v.": "in Höhe von",
    "i. R.": "im Ruhestand",
    "d. J.": "dieses Jahres",
    "v. l. n. r.": "von links nach rechts",
    "Dr. med.": "Doktor med",
    "Dr. med. dent.": "Doktor med dent",
    "Dr. rer. nat.": "Doktor rer nat",
    "Dr. rer. pol.": "Doktor rer pol",
    "Dr. phil.": "Doktor phil",
    "Dr. jur.": "Doktor jur",
    "Dr. h. c.": "Doktor h c",
    "Dr.-Ing.": "Doktor-Ingenieur",
    "Hbf.": "Hauptbahnhof",
    "Bhf.": "Bahnhof",
    "Bf.": "Bahnhof",
    "Pl.": "Platz",
    "Az.": "Aktenzeichen",
    "Abt.": "Abteilung",
    "Fa.": "Firma",
    "Pfr.": "Pfarrer",
    "gez.": "gezeichnet",
    "tägl.": "täglich",
    "jew.": "jeweils",
    "ggfs.": "gegebenenfalls",
    "zw.": "zwischen",
    "Jr.": "Junior",
    "Einw.": "Einwohner",
    "erm.": "ermäßigt",
    "bzw.": "beziehungsweise",
    "usw.": "und so weiter",
    "usf.": "und so fort",
    "uvm.": "und vieles mehr",
    "ca.": "circa",
    "Dr.": "Doktor",
    "Prof.": "Professor",
    "Dipl.-Ing.": "Diplomingenieur",
    "ggf.": "gegebenenfalls",
    "inkl.": "inklusive",
    "exkl.": "exklusive",
    "zzgl.": "zuzüglich",
    "evtl.": "eventuell",
    "etc.": "et cetera",
    "vgl.": "vergleiche",
    "sog.": "sogenannt",
    "Jh.": "Jahrhundert",
    "Jhd.": "Jahrhundert",
    "bspw.": "beispielsweise",
    "insb.": "insbesondere",
    "bzgl.": "bezüglich",
    "ggü.": "gegenüber",
    "einschl.": "einschließlich",
    "entspr.": "entsprechend",
    "allg.": "allgemein",
    "ehem.": "ehemalig",
    "gem.": "gemäß",
    "lt.": "laut",
    "geb.": "geboren",
    "gest.": "gestorben",
    "max.": "maximal",
    "mind.": "mindestens",
    "rd.": "rund",
    "vs.": "versus",
    "Hrsg.": "Herausgeber",
    "Tel.": "Telefon",
    "MwSt.": "Mehrwertsteuer",
    "Mwst.": "Mehrwertsteuer",
    "Str.": "Straße",
    "Mio.": "Millionen",
    "Mrd.": "Milliarden",
    "Bio.": "Billionen",
    "Tsd.": "Tausend",
    "Std.": "Stunden",
    "Min.": "Minuten",
    "Sek.": "Sekunden",
    "Co.": "Ko",
    "n. V.": "nach Verlängerung",
    "i. E.": "im Elfmeterschießen",
    "n. E.": "nach Elfmeterschießen",
}
"""Abbreviations expanded wherever they stand (internal spaces are optional)."""

NUMBER_ABBREVIATIONS = {
    "Art.": "Artikel",
    "Abs.": "Absatz",
    "Nr.": "Nummer",
    "Nrn.": "Nummern",
    "S.": "Seite",
    "Bd.": "Band",
    "Kap.": "Kapitel",
    "Ziff.": "Ziffer",
    "Jg.": "Jahrgang",
    "Abb.": "Abbildung",
    "Tab.": "Tabelle",
    "Pkt.": "Punkt",
    "Rn.": "Randnummer",
}
"""Abbreviations that are words too (``Art``), expanded only next to a number."""

NAME_ABBREVIATIONS = {"St.": "Sankt", "Hr.": "Herr", "Hrn.": "Herrn", "Fr.": "Frau"}
"""Abbreviations expanded only before a capitalized word (``St. Pauli``)."""

BARE_ABBREVIATIONS = {
    "Hbf": "Hauptbahnhof",
    "Bhf": "Bahnhof",
    "MwSt": "Mehrwertsteuer",
    "Mwst": "Mehrwertsteuer",
    "SpVgg": "Spielvereinigung",
}
"""Abbreviations written without a period (``Köln Hbf``), expanded as whole words."""

AFTER_NUMBER_ABBREVIATIONS = {
    "J.": "Jahre",
    "S.": "Seiten",
    "Mio": "Millionen",
    "Mrd": "Milliarden",
    "Mill.": "Millionen",
    "Tsd": "Tausend",
}
"""Abbreviations expanded only after a number (``30 J. alt``, ``7 Mio Euro``)."""

MAGNITUDES = {
    "Millionen": "Million",
    "Milliarden": "Milliarde",
    "Billionen": "Billion",
    "Tausend": "Tausend",
    "Stunden": "Stunde",
    "Minuten": "Minute",
    "Sekunden": "Sekunde",
    "Jahre": "Jahr",
    "Seiten": "Seite",
}
"""Plural expansions of the abbreviations above -> their singular (after a 1)."""

MAGNITUDE_FORMS = {
    **dict.fromkeys(("Million", "Millionen"), ("Million", "Millionen")),
    **dict.fromkeys(("Milliarde", "Milliarden"), ("Milliarde", "Milliarden")),
    **dict.fromkeys(("Billion", "Billionen"), ("Billion", "Billionen")),
    "Tausend": ("Tausend", "Tausend"),
}
"""Magnitude words after an amount -> (after exactly 1, after other amounts)."""

LAW_CODES = {
    "GG": ("Grundgesetz", "Grundgesetzes"),
    "StGB": ("Strafgesetzbuch", "Strafgesetzbuchs"),
    "StPO": ("Strafprozessordnung", "Strafprozessordnung"),
    "SGB": ("Sozialgesetzbuch", "Sozialgesetzbuchs"),
    "BVerfG": ("Bundesverfassungsgericht", "Bundesverfassungsgerichts"),
    "BVerwG": ("Bundesverwaltungsgericht", "Bundesverwaltungsgerichts"),
}
"""Law codes and courts read as their names: (name, name after ``des``)."""

ADJECTIVE_ABBREVIATIONS = frozenset({"sogenannt", "ehemalig", "oben genannt"})
"""Expansions that are adjectives and take an ending (``die sogenannte``)."""

ROMAN_LABELS = frozenset(
    "Teil Kapitel Band Akt Phase Stufe Klasse Hartz Liga Buch Abschnitt Titel Staffel "
    "Folge Weltkrieg Runde Division Artikel Absatz Anhang Gruppe".split()
)
"""Nouns before a Roman numeral that is a plain number (``Hartz IV``, ``Teil II``)."""

REGNAL_NAMES = frozenset(
    "Elizabeth Elisabeth Charles Karl Friedrich Wilhelm Ludwig Heinrich Henry Johannes "
    "Paul Benedikt Pius Leo Gregor Otto Philipp Georg George Edward Eduard Richard "
    "Napoleon Peter Katharina Alexander Nikolaus Franz Joseph Josef Maximilian Rudolf "
    "Konstantin Carlos Felipe Willem Harald Gustaf Margrethe Frederik Albert Ferdinand "
    "Clemens Innozenz Johann Leopold August Ernst Louis James Victor Umberto".split()
)
"""Names whose Roman numeral is regnal even without its period (``Elizabeth II``)."""

FEMALE_REGNAL_NAMES = frozenset(
    "Elizabeth Elisabeth Katharina Margrethe Maria Mary Victoria Viktoria Beatrix Christina "
    "Isabella Johanna Juliana Wilhelmina Anna Marie".split()
)
"""Regnal names of women: ``Elisabeth die Zweite``."""

REGNAL_TITLES = frozenset(
    "König Königin Kaiser Kaiserin Papst Zar Zarin Prinz Prinzessin Herzog Fürst Kurfürst "
    "Markgraf Graf".split()
)
"""Titles that may stand between a preposition and a regnal name (``von König Karl III.``)."""

PHONE_WORDS = frozenset("Telefon Tel Fax Telefonnummer Rufnummer Hotline Mobil Handy".split())
"""Words after which a number is a phone number, read digit by digit."""

POSTCODE_WORDS = frozenset("in nach aus bei von PLZ Postleitzahl D".split())
"""Words before a five-digit number and a town that make it a postcode (``in 50667 Köln``)."""

TOP_LEVEL_DOMAINS = (
    "de com org net eu at ch info io gov edu fr it es nl uk tv online berlin bayern".split()
)
"""Top-level domains that make ``name.tld`` a web address without ``www.``."""

UNITS: dict[str, tuple[str, str]] = {
    "km/h": ("Kilometer pro Stunde", "Kilometer pro Stunde"),
    "m/s": ("Meter pro Sekunde", "Meter pro Sekunde"),
    "Mbit/s": ("Megabit pro Sekunde", "Megabit pro Sekunde"),
    "Gbit/s": ("Gigabit pro Sekunde", "Gigabit pro Sekunde"),
    "kbit/s": ("Kilobit pro Sekunde", "Kilobit pro Sekunde"),
    "km²": ("Quadratkilometer", "Quadratkilometer"),
    "m²": ("Quadratmeter", "Quadratmeter"),
    "m³": ("Kubikmeter", "Kubikmeter"),
    "cm²": ("Quadratzentimeter", "Quadratzentimeter"),
    "cm³": ("Kubikzentimeter", "Kubikzentimeter"),
    "qm": ("Quadratmeter", "Quadratmeter"),
    "qkm": ("Quadratkilometer", "Quadratkilometer"),
    "°C": ("Grad Celsius", "Grad Celsius"),
    "°F": ("Grad Fahrenheit", "Grad Fahrenheit"),
    "°": ("Grad", "Grad"),
    "km": ("Kilometer", "Kilometer"),
    "m": ("Meter", "Meter"),
    "cm": ("Zentimeter", "Zentimeter"),
    "mm": ("Millimeter", "Millimeter"),
    "kg": ("Kilogramm", "Kilogramm"),
    "g": ("Gramm", "Gramm"),
    "mg": ("Milligramm", "Milligramm"),
    "µg": ("Mikrogramm", "Mikrogramm"),
    "t": ("Tonne", "Tonnen"),
    "l": ("Liter", "Liter"),
    "ml": ("Milliliter", "Milliliter"),
    "hl": ("Hektoliter", "Hektoliter"),
    "ha": ("Hektar", "Hektar"),
    "kWh": ("Kilowattstunde", "Kilowattstunden"),
    "MWh": ("Megawattstunde", "Megawattstunden"),
    "GWh": ("Gigawattstunde", "Gigawattstunden"),
    "TWh": ("Terawattstunde", "Terawattstunden"),
    "Wh": ("Wattstunde", "Wattstunden"),
    "kW": ("Kilowatt", "Kilowatt"),
    "MW": ("Megawatt", "Megawatt"),
    "GW": ("Gigawatt", "Gigawatt"),
    "W": ("Watt", "Watt"),
    "kV": ("Kilovolt", "Kilovolt"),
    "V": ("Volt", "Volt"),
    "h": ("Stunde", "Stunden"),
    "Std.": ("Stunde", "Stunden"),
    "min": ("Minute", "Minuten"),
    "Min.": ("Minute", "Minuten"),
    "s": ("Sekunde", "Sekunden"),
    "Sek.": ("Sekunde", "Sekunden"),
    "ms": ("Millisekunde", "Millisekunden"),
    "GB": ("Gigabyte", "Gigabyte"),
    "MB": ("Megabyte", "Megabyte"),
    "TB": ("Terabyte", "Terabyte"),
    "kB": ("Kilobyte", "Kilobyte"),
    "KB": ("Kilobyte", "Kilobyte"),
    "Hz": ("Hertz", "Hertz"),
    "kHz": ("Kilohertz", "Kilohertz"),
    "MHz": ("Megahertz", "Megahertz"),
    "GHz": ("Gigahertz", "Gigahertz"),
    "dB": ("Dezibel", "Dezibel"),
    "kcal": ("Kilokalorie", "Kilokalorien"),
    "‰": ("Promille", "Promille"),
    "%": ("Prozent", "Prozent"),
    "%-Punkte": ("Prozentpunkt", "Prozentpunkte"),
    "ct": ("Cent", "Cent"),
    "ppm": ("P P M", "P P M"),
}
"""Units after a number: symbol -> (after exactly 1, after any other number)."""

CURRENCIES: dict[str, tuple[str, str | None]] = {
    "€": ("Euro", "Cent"),
    "EUR": ("Euro", "Cent"),
    "Euro": ("Euro", "Cent"),
    "US-$": ("Dollar", "Cent"),
    "US$": ("Dollar", "Cent"),
    "$": ("Dollar", "Cent"),
    "USD": ("Dollar", "Cent"),
    "Dollar": ("Dollar", "Cent"),
    "US-Dollar": ("US-Dollar", "Cent"),
    "£": ("Pfund", "Pence"),
    "GBP": ("Pfund", "Pence"),
    "Pfund": ("Pfund", "Pence"),
    "CHF": ("Franken", "Rappen"),
    "Franken": ("Franken", "Rappen"),
    "¥": ("Yen", None),
    "JPY": ("Yen", None),
    "Yen": ("Yen", None),
}
"""Currency signs and names -> (the currency's name, its hundredth or ``None``)."""

ENDINGS = {
    **dict.fromkeys(
        "am im zum vom beim dem den des einem einen einer eines zur ab bis seit "
        "meinem meinen meiner meines deinem deinen deiner deines seinem seinen seiner seines "
        "ihrem ihren ihrer ihres unserem unseren unserer unseres eurem euren eurer eures "
        "diesem diesen jedem jeden jenem jenen keinem keinen keiner keines".split(),
        "en",
    ),
    **dict.fromkeys(
        "der die das eine diese dieser dieses jede jeder jedes jene meine deine seine ihre "
        "unsere eure keine ins ans aufs fürs ums übers".split(),
        "e",
    ),
    **dict.fromkeys("ein mein dein sein ihr unser euer kein".split(), "er"),
}
"""Words before an ordinal or ``sogenannt`` (lower case) -> the ending they call for.

``er`` after ``ein`` becomes ``es`` before a neuter noun; ``der`` after a
preposition or a noun is dative or genitive and calls for ``en``.
"""

DATIVE_PREPOSITIONS = frozenset(
    "an auf aus bei in mit nach seit von vor zu zwischen hinter neben über unter "
    "während wegen trotz außer gegenüber innerhalb außerhalb laut gemäß".split()
)
"""Prepositions after which ``der`` is dative (``in der 3. Runde``)."""

ACCUSATIVE_PREPOSITIONS = frozenset("für durch gegen ohne um wider".split())
"""Prepositions that take the accusative (``für Wilhelm den Ersten``)."""

ACRONYM_WORDS = {
    "NATO": "Nato",
    "UNO": "Uno",
    "DAX": "Dax",
    "MDAX": "M-Dax",
    "SDAX": "S-Dax",
    "TecDAX": "Tec-Dax",
    "UNESCO": "Unesco",
    "UNICEF": "Unicef",
    "NASA": "Nasa",
    "ESA": "Esa",
    "FIFA": "Fifa",
    "UEFA": "Uefa",
    "OPEC": "Opec",
    "ASEAN": "Asean",
    "AIDS": "Aids",
    "TÜV": "Tüv",
    "BAföG": "Bafög",
    "BaFin": "Bafin",
    "DIN": "Din",
    "ISO": "Iso",
    "PISA": "Pisa",
    "LAN": "Lan",
    "WLAN": "W-Lan",
    "RAM": "Ram",
    "CERN": "Cern",
    "ISAF": "Isaf",
    "BAMF": "Bamf",
    "NASDAQ": "Nasdaq",
    "COVID": "Covid",
    "SARS": "Sars",
    "MERS": "Mers",
    "EFTA": "Efta",
    "NAFTA": "Nafta",
    "FRONTEX": "Frontex",
    "EUROPOL": "Europol",
    "INTERPOL": "Interpol",
    "MINT": "Mint",
    "GAU": "Gau",
    "KITA": "Kita",
    "UFO": "Ufo",
    "PIN": "Pin",
    "TAN": "Tan",
    "IKEA": "Ikea",
    "ALDI": "Aldi",
    "REWE": "Rewe",
    "LIDL": "Lidl",
    "FIAT": "Fiat",
    "SEAT": "Seat",
    "ZEIT": "Zeit",
    "BILD": "Bild",
    "SPIEGEL": "Spiegel",
    "NABU": "Nabu",
    "BUND": "Bund",
    "STIKO": "Stiko",
    "ESC": "E S C",
    "HAMAS": "Hamas",
    "CoV": "Co-V",
    "TuS": "Tus",
    "KW": "Kalenderwoche",
}
"""Acronyms read as words, and how to write them so engines do."""

SPELLED_WORDS = frozenset(
    "GmbH AfD KfW GbR BfV BfS BfArM Pkw Lkw Kfz PKWs LKWs Pkws Lkws eG VfB VfL".split()
)
"""Mixed-case abbreviations spelled letter by letter (``GmbH`` -> ``G M B H``)."""

CAPS_WORDS = frozenset(
    "AB ALLE AM AN AUF AUS BEI BIS DA DAS DEN DER DES DIE EIN EINE EINEN ER ES FÜR HIER IM "
    "IN IST JA JETZT LIVE MEHR MIT NEU NEIN NICHT NOCH NUR OB ODER SIE SO UM UND VOM VON "
    "VOR WAS WER WIE WIR ZU ZUM ZUR".split()
)
"""Short German words that headlines write in capitals; never spelled."""

INITIALISMS = frozenset(
    "OECD OSZE IAEA ADAC DOSB DLRG UNHCR ÖPNV BAMF DAAD ESVP GASP NPD KPD DKP SED FDJ".split()
)
"""Initialisms of four and more capitals with vowels: spelled even in all-caps headlines."""

COUNTING_WORDS = frozenset(
    "rund etwa ca. circa knapp fast beinahe mehr weniger über unter insgesamt nur gut zu "
    "exakt genau mindestens höchstens maximal".split()
)
"""Words before a number that make 1100-1999 a quantity, not a year (``rund 1500``)."""

LABEL_WORDS = frozenset(
    "Artikel Absatz Nummer Nummern Seite Paragraf Paragraph Paragrafen Band Kapitel Platz "
    "Ziffer Satz Teil Folge Gleis Linie Stufe Level Klasse Punkt Version Runde Spieltag "
    "Tabelle Abbildung Jahrgang Randnummer Zimmer Haus Tor Halle Terminal Etage Aktenzeichen "
    "Raum Saal Bahnsteig Ausgang Eingang Block Reihe Sitz Kanal Windows Version".split()
)
"""Nouns before a number that label it (``Artikel 1``): the 1 is ``eins``, never ``ein``."""

ADJECTIVE_NOUNS = (
    "Tot Verletzt Schwerverletzt Leichtverletzt Schwerstverletzt Angeklagt Beschuldigt "
    "Verdächtig Tatverdächtig Festgenommen Vermisst Infiziert Erkrankt Deutsch Erwachsen "
    "Jugendlich Abgeordnet Beschäftigt Angestellt Arbeitslos Geflüchtet Obdachlos Verstorben "
    "Gefangen Verwandt Bekannt Reisend Beamt Krank Überlebend"
).split()
"""Stems of nouns made from adjectives (``ein Toter``, ``einen Toten``, ``eine Tote``)."""

ONE_DATIVE_WORDS = frozenset(
    "aus bei mit nach seit von zu in vor unter hinter neben binnen innerhalb außerhalb "
    "gegenüber samt nebst".split()
)
"""Prepositions after which a counted 1 is dative (``nach einer Stunde``, ``vor einem Jahr``)."""

ONE_ACCUSATIVE_WORDS = frozenset("für durch gegen ohne um pro je".split())
"""Prepositions after which a counted 1 is accusative (``für einen Monat``)."""

DECIMAL_NOUNS = frozenset(
    "Prozent Prozentpunkte Prozentpunkt Millionen Milliarden Billionen Grad Punkte Punkten "
    "Euro Dollar Franken Pfund Meter Kilometer Zentimeter Tonnen Kilogramm Gramm Liter "
    "Stunden Minuten Sekunden Jahre Jahren Prozentpunkten Promille".split()
)
"""Words after ``3.5`` that make its period a decimal comma (``drei Komma fünf Prozent``)."""

ENUMERATION_STARTS = frozenset(
    "Der Die Das Den Dem Des Ein Eine Einen Einem Einer Es Er Sie Wir Ich Ihr Man In Im Am "
    "An Auf Aus Bei Mit Nach Von Vor Zu Zum Zur Für Über Unter Um Wenn Als Wie Was Wer Wo "
    "Alle Jeder Jede Jedes Keine Kein Diese Dieser Dieses Viele Mehr Nicht Nur Auch Seit "
    "Ab Dass Ob Weil Keiner Bessere Mehrere".split()
)
"""Words after a number at a sentence's start that make it a list item (``1. Die ...``)."""

PLACE_VERBS = frozenset("wurde wird wurden werden blieb bleibt".split())
"""Verbs before a sentence-final ``3.`` that make it a placing (``Er wurde Dritter.``)."""

MATCH_WORDS = frozenset(
    "Tor Tore Torschützen Gelb Rot Gelb-Rot Gelbe Rote Elfmeter Eigentor Wechsel Einwechslung "
    "Auswechslung Platzverweis".split()
)
"""Words that make ``(23.)`` a match minute (``Tore: Kane (23.)``), not a placing."""

TIME_PREPOSITIONS = frozenset("um gegen ab bis seit von zwischen vor nach".split())
"""Words before ``HH:MM`` that make it a time of day rather than a score."""

PER_NOUNS = frozenset(
    "Jahr Monat Woche Tag Stunde Minute Sekunde Kopf Person Einwohner Liter Kilo "
    "Kilogramm Kilometer Quadratmeter Haushalt Nacht Stück Kind Tonne".split()
)
"""Nouns after ``/`` that make it ``pro`` (``100 Euro/Monat``)."""

NUMBER_SUFFIXES = (
    "mal malig fach fache faches facher fachen prozentig jährig jährige jähriger "
    "jährigen jähriges köpfig stellig stündig tägig wöchig monatig minütig seitig teilig "
    "spurig stöckig sitzig sitzer tonner zimmer karäter eck"
).split()
"""Lower-case word endings joined to a number (``3-fach`` -> ``dreifach``)."""

FRACTIONS = {
    "½": "ein halb",
    "⅓": "ein Drittel",
    "⅔": "zwei Drittel",
    "¼": "ein Viertel",
    "¾": "drei Viertel",
    "⅕": "ein Fünftel",
    "⅛": "ein Achtel",
}
"""Vulgar fraction characters as words."""

DENOMINATORS = {
    2: "halb",
    3: "Drittel",
    4: "Viertel",
    5: "Fünftel",
    6: "Sechstel",
    7: "Siebtel",
    8: "Achtel",
    9: "Neuntel",
    10: "Zehntel",
}
"""Denominators of fractions written with a slash (``1/3`` -> ``ein Drittel``)."""

SYMBOLS = {
    "&": "und",
    "§§": "Paragrafen",
    "§": "Paragraf",
    "%": "Prozent",
    "‰": "Promille",
    "±": "plus minus",
    "+": "plus",
    "=": "gleich",
    "×": "mal",
    "°": "Grad",
    "€": "Euro",
    "$": "Dollar",
    "£": "Pfund",
    "¥": "Yen",
    "@": "ät",
    "#": "Hashtag",
    "~": "etwa",
    "≈": "etwa",
    "≥": "größer oder gleich",
    "≤": "kleiner oder gleich",
    "≠": "ungleich",
    "<": "weniger als",
    ">": "mehr als",
    "→": "",
    "*": "",
    "|": ",",
    "•": ",",
    "/": "",
}
"""Symbols left after the other steps -> words (empty: only a pause)."""

_FEMININE_ENDINGS = (
    "e ung heit keit schaft ion tät ie ik ei ur anz enz liga frau zeit stadt welt nacht "
    "wahl zahl saison tour person kraft nummer ziffer mauer steuer regel hand uhr"
).split()
_NEUTER_ENDINGS = (
    "chen lein ment tum ium eum nis jahr jahrhundert jahrzehnt jahrtausend spiel land "
    "haus buch kapitel album treffen rennen gesetz verfahren paket quartal semester amt "
    "werk konzert festival turnier finale leben programm projekt team unternehmen "
    "gebäude geschoss kabinett examen abitur jubiläum mitglied stadion level urteil "
    "verbot angebot ende auge erbe interesse prozent kilo gramm viertel drittel mal tor "
    "kind pfund"
).split()
_MASCULINE_WORDS = frozenset(
    "name junge kunde kollege gedanke glaube wille friede buchstabe experte zeuge käse "
    "doktor professor autor investor moderator gouverneur".split()
)


def gender(noun: str) -> str:
    """A guess at the grammatical gender of ``noun``: ``"f"``, ``"n"`` or ``"m"``.

    Goes by the word's ending (``-ung`` is feminine, ``-chen`` neuter, compounds
    take the gender of their last part); good enough to choose ``ein``/``eine``
    and an ordinal's ending, never certain.
    """
    word = noun.lower()
    if word in _MASCULINE_WORDS or word.endswith(("motor", "sektor", "direktor", "faktor")):
        return "m"
    if any(word.endswith(end) for end in _NEUTER_ENDINGS):
        return "n"
    if any(word.endswith(end) for end in _FEMININE_ENDINGS):
        return "f"
    return "m"

"""German normalization: a golden table of news sentences and the text to speak."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from narrate.speech.normalize import de, normalize
from narrate.speech.normalize import de_data as data

NUMBERS = [
    # Cardinals: thousands separators, decimals, 1 before nouns, signs, digit strings.
    ("Die Stadt hat 7.000 Einwohner.", "Die Stadt hat siebentausend Einwohner."),
    (
        "Das Land zählt 1.234.567 Arbeitslose.",
        "Das Land zählt eine Million zweihundertvierunddreißigtausendfünfhundertsiebenundsechzig"
        " Arbeitslose.",
    ),
    ("Das Stadion fasst 75.000 Zuschauer.", "Das Stadion fasst fünfundsiebzigtausend Zuschauer."),
    ("Die Firma beschäftigt 12\u2009000 Menschen.", "Die Firma beschäftigt zwölftausend Menschen."),
    (
        "Die Firma beschäftigt 12\u00a0000 Menschen weltweit.",
        "Die Firma beschäftigt zwölftausend Menschen weltweit.",
    ),
    ("Im Schnitt sind es 3,5 Kinder.", "Im Schnitt sind es drei Komma fünf Kinder."),
    ("Der Wert sank auf 0,75.", "Der Wert sank auf null Komma sieben fünf."),
    ("Die Quote liegt bei 0,3.", "Die Quote liegt bei null Komma drei."),
    ("Er hat 0 Punkte geholt.", "Er hat null Punkte geholt."),
    ("Es kamen 21 Gäste.", "Es kamen einundzwanzig Gäste."),
    ("Die Schule hat 101 Schüler.", "Die Schule hat hunderteins Schüler."),
    ("Der Bus hat 110 Plätze.", "Der Bus hat hundertzehn Plätze."),
    ("Die Gemeinde hat 999 Einwohner.", "Die Gemeinde hat neunhundertneunundneunzig Einwohner."),
    ("Die Behörde zählte 1001 Anträge.", "Die Behörde zählte tausendeins Anträge."),
    ("Es gab 2.000.000.000 Aufrufe.", "Es gab zwei Milliarden Aufrufe."),
    (
        "Die Zahl liegt bei 123456789.",
        "Die Zahl liegt bei hundertdreiundzwanzig Millionen"
        " vierhundertsechsundfünfzigtausendsiebenhundertneunundachtzig.",
    ),
    (
        "Die Bevölkerung wuchs auf 83,2 Millionen.",
        "Die Bevölkerung wuchs auf dreiundachtzig Komma zwei Millionen.",
    ),
    ("Es ist 1 Million Menschen betroffen.", "Es ist eine Million Menschen betroffen."),
    ("Sie zählten 2 Millionen Stimmen.", "Sie zählten zwei Millionen Stimmen."),
    ("Die Schulden betragen 1,2 Billionen.", "Die Schulden betragen eins Komma zwei Billionen."),
    ("Der Schaden beträgt 2,5 Mrd.", "Der Schaden beträgt zwei Komma fünf Milliarden."),
    ("Die Temperatur fiel auf -5 Grad.", "Die Temperatur fiel auf minus fünf Grad."),
    (
        "Die Zahl der Arbeitslosen stieg um +3.000.",
        "Die Zahl der Arbeitslosen stieg um plus dreitausend.",
    ),
    ("Die Version 2.0 ist da.", "Die Version zwei Punkt null ist da."),
    ("Das Gerät hat die Nummer 007.", "Das Gerät hat die Nummer null null sieben."),
    ("Er kam als Nummer 1 ins Ziel.", "Er kam als Nummer eins ins Ziel."),
    ("Sie belegte Platz 1.", "Sie belegte Platz eins."),
    ("Er zahlte 1.000 Dollar für 1 Woche.", "Er zahlte tausend Dollar für eine Woche."),
]

YEARS = [
    # Years: 1100-1999 in hundreds when they look like years, 2000-2099 as cardinals.
    (
        "Im Jahr 1998 kam er nach Berlin.",
        "Im Jahr neunzehnhundertachtundneunzig kam er nach Berlin.",
    ),
    ("1989 fiel die Mauer.", "neunzehnhundertneunundachtzig fiel die Mauer."),
    ("Seit 1990 ist Deutschland vereint.", "Seit neunzehnhundertneunzig ist Deutschland vereint."),
    ("Das Gebäude stammt aus dem Jahr 1100.", "Das Gebäude stammt aus dem Jahr elfhundert."),
    ("Die Revolution begann 1848.", "Die Revolution begann achtzehnhundertachtundvierzig."),
    ("Bis 1918 regierte der Kaiser.", "Bis neunzehnhundertachtzehn regierte der Kaiser."),
    ("Das war im Jahr 2000.", "Das war im Jahr zweitausend."),
    ("Er wurde 2008 gewählt.", "Er wurde zweitausendacht gewählt."),
    ("Die Wahl findet 2024 statt.", "Die Wahl findet zweitausendvierundzwanzig statt."),
    ("Das Gesetz gilt ab 2030.", "Das Gesetz gilt ab zweitausenddreißig."),
    ("Rund 1500 Menschen demonstrierten.", "Rund tausendfünfhundert Menschen demonstrierten."),
    (
        "Etwa 1200 Polizisten waren im Einsatz.",
        "Etwa tausendzweihundert Polizisten waren im Einsatz.",
    ),
    ("Er ist Jahrgang 1975.", "Er ist Jahrgang neunzehnhundertfünfundsiebzig."),
    (
        "Die Ereignisse von 1989/90 prägten das Land.",
        "Die Ereignisse von neunzehnhundertneunundachtzig neunzig prägten das Land.",
    ),
    (
        "Die Saison 2023/24 war erfolgreich.",
        "Die Saison zweitausenddreiundzwanzig vierundzwanzig war erfolgreich.",
    ),
    ("Die Kirche wurde 1248 gegründet.", "Die Kirche wurde zwölfhundertachtundvierzig gegründet."),
    ("Das Werk entstand um 1900.", "Das Werk entstand um neunzehnhundert."),
]

ORDINALS = [
    # Ordinals from context, with the ending the determiner calls for; regnal numerals.
    ("Der 2. Weltkrieg endete 1945.", "Der zweite Weltkrieg endete neunzehnhundertfünfundvierzig."),
    ("Zum 1. Mal gewann die Mannschaft.", "Zum ersten Mal gewann die Mannschaft."),
    ("Im 19. Jahrhundert wuchs die Stadt.", "Im neunzehnten Jahrhundert wuchs die Stadt."),
    ("Die 3. Liga startet am Freitag.", "Die dritte Liga startet am Freitag."),
    ("Das ist der 3. Versuch.", "Das ist der dritte Versuch."),
    ("In der 3. Runde schied er aus.", "In der dritten Runde schied er aus."),
    ("Die Folgen der 2. Welle waren schwer.", "Die Folgen der zweiten Welle waren schwer."),
    ("Sie feiert ihren 80. Geburtstag.", "Sie feiert ihren achtzigsten Geburtstag."),
    ("Es ist ein 2. Mal passiert.", "Es ist ein zweites Mal passiert."),
    ("Zum 100. Geburtstag kamen alle.", "Zum hundertsten Geburtstag kamen alle."),
    ("Er wohnt im 7. Stock.", "Er wohnt im siebten Stock."),
    ("Das Team erreichte den 8. Platz.", "Das Team erreichte den achten Platz."),
    ("Beim 20. Versuch klappte es.", "Beim zwanzigsten Versuch klappte es."),
    ("Der Bau des 1. Abschnitts beginnt.", "Der Bau des ersten Abschnitts beginnt."),
    ("Sie ist die 1. Frau im Amt.", "Sie ist die erste Frau im Amt."),
    ("Er gewann zum 1000. Mal.", "Er gewann zum tausendsten Mal."),
    ("Die 2. Bundesliga ist spannend.", "Die zweite Bundesliga ist spannend."),
    ("Der 1. FC Köln gewann.", "Der erste F C Köln gewann."),
    (
        "Das Spiel gegen den 1. FC Köln endete spät.",
        "Das Spiel gegen den ersten F C Köln endete spät.",
    ),
    ("Friedrich II. war König von Preußen.", "Friedrich der Zweite war König von Preußen."),
    (
        "Papst Benedikt XVI. trat 2013 zurück.",
        "Papst Benedikt der Sechzehnte trat zweitausenddreizehn zurück.",
    ),
    ("Heinrich VIII. hatte sechs Frauen.", "Heinrich der Achte hatte sechs Frauen."),
    ("Unter König Karl III. ändert sich wenig.", "Unter König Karl dem Dritten ändert sich wenig."),
    (
        "Queen Elizabeth II starb 2022.",
        "Queen Elizabeth die Zweite starb zweitausendzweiundzwanzig.",
    ),
    (
        "Das Denkmal für Wilhelm I. steht in Berlin.",
        "Das Denkmal für Wilhelm den Ersten steht in Berlin.",
    ),
    ("Hartz IV wurde abgeschafft.", "Hartz vier wurde abgeschafft."),
    ("Im Teil II des Berichts steht mehr.", "Im Teil zwei des Berichts steht mehr."),
    ("Jede 3. Frau ist betroffen.", "Jede dritte Frau ist betroffen."),
]

DATES = [
    # Dates: numeric, ISO, with month names, without year, ranges of days.
    ("Am 3. Mai 2024 kam er.", "Am dritten Mai zweitausendvierundzwanzig kam er."),
    (
        "Die Sitzung ist am 12.07.2023.",
        "Die Sitzung ist am zwölften Juli zweitausenddreiundzwanzig.",
    ),
    (
        "Die Sitzung war 12.07.2023 in Bonn.",
        "Die Sitzung war zwölfter Juli zweitausenddreiundzwanzig in Bonn.",
    ),
    (
        "Am 1.1.2024 trat das Gesetz in Kraft.",
        "Am ersten Januar zweitausendvierundzwanzig trat das Gesetz in Kraft.",
    ),
    ("Am 03.10. ist Feiertag.", "Am dritten Oktober ist Feiertag."),
    ("Die Frist endet am 31.12.", "Die Frist endet am einunddreißigsten Dezember."),
    ("Bis zum 03.10. bleibt Zeit.", "Bis zum dritten Oktober bleibt Zeit."),
    (
        "Es geschah am 3. Juni 2024 in Hamburg.",
        "Es geschah am dritten Juni zweitausendvierundzwanzig in Hamburg.",
    ),
    (
        "Das Treffen findet am Montag, 3. Mai statt.",
        "Das Treffen findet am Montag, dritten Mai statt.",
    ),
    (
        "Berlin, 3. Juni 2024 – Die Regierung hat entschieden.",
        "Berlin, dritter Juni zweitausendvierundzwanzig – Die Regierung hat entschieden.",
    ),
    ("Vom 3. bis 5. Mai tagte der Rat.", "Vom dritten bis fünften Mai tagte der Rat."),
    ("Der Gipfel ist am 3./4. Juli.", "Der Gipfel ist am dritten und vierten Juli."),
    ("Es war im Mai 2024.", "Es war im Mai zweitausendvierundzwanzig."),
    (
        "Der Vertrag wurde am 2023-07-12 unterzeichnet.",
        "Der Vertrag wurde am zwölften Juli zweitausenddreiundzwanzig unterzeichnet.",
    ),
    ("Seit dem 1. Januar gilt die Regel.", "Seit dem ersten Januar gilt die Regel."),
    ("Die Messe läuft vom 10. bis 14. März.", "Die Messe läuft vom zehnten bis vierzehnten März."),
    ("Die Sitzung ist am Fr., 3. Mai.", "Die Sitzung ist am Freitag, dritten Mai."),
    ("Der Termin ist der 24. Dezember.", "Der Termin ist der vierundzwanzigste Dezember."),
    (
        "Am 3. Okt. 1990 kam die Einheit.",
        "Am dritten Oktober neunzehnhundertneunzig kam die Einheit.",
    ),
    ("Die Wahl ist am 9.6.24.", "Die Wahl ist am neunten Juni vierundzwanzig."),
    ("Am 3., 4. und 5. Mai wird gestreikt.", "Am dritten, vierten und fünften Mai wird gestreikt."),
]

TIMES = [
    # Times of day (Uhr, HH:MM after a time preposition, :00) and durations.
    ("Die Sitzung beginnt um 14:30 Uhr.", "Die Sitzung beginnt um vierzehn Uhr dreißig."),
    ("Der Zug kommt um 14.30 Uhr an.", "Der Zug kommt um vierzehn Uhr dreißig an."),
    ("Die Geschäfte öffnen um 9 Uhr.", "Die Geschäfte öffnen um neun Uhr."),
    ("Der Bus fährt um 14:05 Uhr.", "Der Bus fährt um vierzehn Uhr fünf."),
    ("Der Zug fährt um 8:00 Uhr ab.", "Der Zug fährt um acht Uhr ab."),
    ("Das Treffen endet um 1 Uhr.", "Das Treffen endet um ein Uhr."),
    ("Die Party dauert bis 0:30 Uhr.", "Die Party dauert bis null Uhr dreißig."),
    ("Geöffnet ist von 10–12 Uhr.", "Geöffnet ist von zehn bis zwölf Uhr."),
    (
        "Die Läden öffnen von 10:00–18:30 Uhr.",
        "Die Läden öffnen von zehn Uhr bis achtzehn Uhr dreißig.",
    ),
    ("Die Party geht von 22 bis 4 Uhr.", "Die Party geht von zweiundzwanzig bis vier Uhr."),
    ("Er kam um 14:30 an.", "Er kam um vierzehn Uhr dreißig an."),
    ("Die Ausstellung öffnet um 20:00.", "Die Ausstellung öffnet um zwanzig Uhr."),
    ("Die Sprechstunde ist von 10 bis 12.", "Die Sprechstunde ist von zehn bis zwölf."),
    (
        "Die Siegerin lief 2:05:30.",
        "Die Siegerin lief zwei Stunden, fünf Minuten und dreißig Sekunden.",
    ),
    ("Die Sendung beginnt um 20.15 Uhr.", "Die Sendung beginnt um zwanzig Uhr fünfzehn."),
]

RANGES = [
    # Ranges with a dash are read with ``bis``.
    (
        "Von 2010–2015 war er Minister.",
        "Von zweitausendzehn bis zweitausendfünfzehn war er Minister.",
    ),
    ("Er regierte 2010-2015.", "Er regierte zweitausendzehn bis zweitausendfünfzehn."),
    (
        "In den Jahren 1990–1995 wuchs die Wirtschaft.",
        "In den Jahren neunzehnhundertneunzig bis neunzehnhundertfünfundneunzig wuchs die"
        " Wirtschaft.",
    ),
    (
        "Von 1914 bis 1918 dauerte der Krieg.",
        "Von neunzehnhundertvierzehn bis neunzehnhundertachtzehn dauerte der Krieg.",
    ),
    (
        "Die Temperaturen liegen bei 20–25 Grad.",
        "Die Temperaturen liegen bei zwanzig bis fünfundzwanzig Grad.",
    ),
    ("Es kamen 10-12 Teilnehmer.", "Es kamen zehn bis zwölf Teilnehmer."),
    ("Die Preise steigen um 2–3 Prozent.", "Die Preise steigen um zwei bis drei Prozent."),
    ("Das kostet 5–10 Euro.", "Das kostet fünf bis zehn Euro."),
]

SCORES = [
    # Scores: ``A:B`` that is no time of day.
    ("Bayern gewann 2:1 gegen Dortmund.", "Bayern gewann zwei zu eins gegen Dortmund."),
    ("Das Spiel endete 3:0.", "Das Spiel endete drei zu null."),
    ("Es stand zur Pause 1:1.", "Es stand zur Pause eins zu eins."),
    ("Die Füchse siegten mit 31:28.", "Die Füchse siegten mit einunddreißig zu achtundzwanzig."),
    (
        "Das Spiel endete 1:1 n. V. und 4:3 i. E.",
        "Das Spiel endete eins zu eins nach Verlängerung und vier zu drei im Elfmeterschießen.",
    ),
    ("Nach dem 1:0-Sieg jubelten die Fans.", "Nach dem eins zu null Sieg jubelten die Fans."),
    ("Das Verhältnis ist 1:3.", "Das Verhältnis ist eins zu drei."),
]

CURRENCY = [
    # Money: signs before or after, cents, magnitudes.
    ("Das Buch kostet 5 €.", "Das Buch kostet fünf Euro."),
    ("Das Buch kostet 5,99 € im Handel.", "Das Buch kostet fünf Euro neunundneunzig im Handel."),
    ("Ein Kaffee kostet 0,50 €.", "Ein Kaffee kostet fünfzig Cent."),
    ("Der Eintritt kostet 1 Euro.", "Der Eintritt kostet ein Euro."),
    (
        "Die Miete beträgt 1.250 Euro im Monat.",
        "Die Miete beträgt tausendzweihundertfünfzig Euro im Monat.",
    ),
    ("Das Ticket kostet 12,50 Euro.", "Das Ticket kostet zwölf Euro fünfzig."),
    ("Der Preis liegt bei €5.", "Der Preis liegt bei fünf Euro."),
    ("Der Preis liegt bei € 5.", "Der Preis liegt bei fünf Euro."),
    ("Es kostet 20 EUR.", "Es kostet zwanzig Euro."),
    ("Das Projekt kostet 3 Mio. Euro.", "Das Projekt kostet drei Millionen Euro."),
    ("Das Projekt kostet 1 Mio. Euro.", "Das Projekt kostet eine Million Euro."),
    (
        "Die Kosten liegen bei 2,5 Mrd. Dollar.",
        "Die Kosten liegen bei zwei Komma fünf Milliarden Dollar.",
    ),
    ("Der Umsatz lag bei 1,5 Mio. €.", "Der Umsatz lag bei eins Komma fünf Millionen Euro."),
    ("Die Aktie kostet $5.", "Die Aktie kostet fünf Dollar."),
    ("Die Aktie kostet 5 $.", "Die Aktie kostet fünf Dollar."),
    ("Das kostet 10 US-$.", "Das kostet zehn Dollar."),
    ("Das Pfund fiel auf 1,15 £.", "Das Pfund fiel auf ein Pfund fünfzehn."),
    ("Der Preis liegt bei 0,95 CHF.", "Der Preis liegt bei fünfundneunzig Rappen."),
    ("Die Stadt investiert 3 Tsd. Euro.", "Die Stadt investiert dreitausend Euro."),
    ("Der Eintritt kostet 5,– €.", "Der Eintritt kostet fünf Euro."),
    ("Das Paket kostet 100 Mio. US-Dollar.", "Das Paket kostet hundert Millionen U S Dollar."),
    ("Der Liter kostet 1,79 Euro.", "Der Liter kostet ein Euro neunundsiebzig."),
]

PERCENT = [
    # Percent, per mille, percentage points.
    ("Die Inflation stieg auf 3,5 %.", "Die Inflation stieg auf drei Komma fünf Prozent."),
    ("Die Inflation stieg auf 3,5%.", "Die Inflation stieg auf drei Komma fünf Prozent."),
    ("Die Partei kam auf 25,7 Prozent.", "Die Partei kam auf fünfundzwanzig Komma sieben Prozent."),
    ("Die SPD verlor 1 %.", "Die S P D verlor ein Prozent."),
    (
        "Das ist ein Plus von 3,2 Prozentpunkten.",
        "Das ist ein Plus von drei Komma zwei Prozentpunkten.",
    ),
    ("Die Steuer steigt um 0,5 %-Punkte.", "Die Steuer steigt um null Komma fünf Prozentpunkte."),
    ("Die Quote sank um 0,1 %.", "Die Quote sank um null Komma eins Prozent."),
    ("Der Alkoholwert lag bei 1,1 ‰.", "Der Alkoholwert lag bei eins Komma eins Promille."),
]

UNITS = [
    # Units after numbers, singular after 1.
    (
        "Er fuhr mit 130 km/h über die Autobahn.",
        "Er fuhr mit hundertdreißig Kilometer pro Stunde über die Autobahn.",
    ),
    ("Die Strecke ist 42 km lang.", "Die Strecke ist zweiundvierzig Kilometer lang."),
    ("Der Turm ist 300 m hoch.", "Der Turm ist dreihundert Meter hoch."),
    ("Er ist 1,80 m groß.", "Er ist ein Meter achtzig groß."),
    ("Der Schnee lag 30 cm hoch.", "Der Schnee lag dreißig Zentimeter hoch."),
    ("Es regnete 5 mm.", "Es regnete fünf Millimeter."),
    ("Das Paket wiegt 2 kg.", "Das Paket wiegt zwei Kilogramm."),
    ("Er nahm 500 g ab.", "Er nahm fünfhundert Gramm ab."),
    ("Der Lkw hat 40 t geladen.", "Der L K W hat vierzig Tonnen geladen."),
    ("Er wiegt 1 t.", "Er wiegt eine Tonne."),
    ("Der Tank fasst 50 l.", "Der Tank fasst fünfzig Liter."),
    ("Die Flasche enthält 330 ml.", "Die Flasche enthält dreihundertdreißig Milliliter."),
    ("Der Hof hat 120 ha Land.", "Der Hof hat hundertzwanzig Hektar Land."),
    ("Es ist -5 °C kalt.", "Es ist minus fünf Grad Celsius kalt."),
    ("Die Temperatur stieg auf 38 °C.", "Die Temperatur stieg auf achtunddreißig Grad Celsius."),
    ("Der Hang ist 30° steil.", "Der Hang ist dreißig Grad steil."),
    ("Die Wohnung hat 80 m².", "Die Wohnung hat achtzig Quadratmeter."),
    ("Der Keller hat 20 m³.", "Der Keller hat zwanzig Kubikmeter."),
    ("Die Wohnung hat 60 qm.", "Die Wohnung hat sechzig Quadratmeter."),
    (
        "Der Haushalt verbraucht 3.500 kWh.",
        "Der Haushalt verbraucht dreitausendfünfhundert Kilowattstunden.",
    ),
    ("Das kostet 30 Cent pro 1 kWh.", "Das kostet dreißig Cent pro eine Kilowattstunde."),
    ("Das Windrad leistet 5 MW.", "Das Windrad leistet fünf Megawatt."),
    ("Die Anlage hat 10 kW.", "Die Anlage hat zehn Kilowatt."),
    ("Das Kraftwerk hat 1,4 GW.", "Das Kraftwerk hat eins Komma vier Gigawatt."),
    ("Die Fahrt dauert 2 h.", "Die Fahrt dauert zwei Stunden."),
    ("Die Pause dauert 15 min.", "Die Pause dauert fünfzehn Minuten."),
    ("Die Leitung schafft 100 Mbit/s.", "Die Leitung schafft hundert Megabit pro Sekunde."),
    ("Das Handy hat 128 GB Speicher.", "Das Handy hat hundertachtundzwanzig Gigabyte Speicher."),
    ("Die Datei hat 5 MB.", "Die Datei hat fünf Megabyte."),
    ("Die Sitzung dauerte 3 Std.", "Die Sitzung dauerte drei Stunden."),
    ("Die Pause dauerte 10 Min.", "Die Pause dauerte zehn Minuten."),
    ("Der Kurs kostet 50 ct.", "Der Kurs kostet fünfzig Cent."),
]

ABBREVIATIONS = [
    # Abbreviations, law citations, sentence-final periods kept.
    ("Das gilt z. B. für Kinder.", "Das gilt zum Beispiel für Kinder."),
    ("Das gilt z.B. für Kinder.", "Das gilt zum Beispiel für Kinder."),
    ("Es kamen u. a. Politiker.", "Es kamen unter anderem Politiker."),
    ("Er kommt bzw. sie kommt.", "Er kommt beziehungsweise sie kommt."),
    ("Es gab Brot, Wein usw.", "Es gab Brot, Wein und so weiter."),
    ("Es kamen ca. 30 Leute.", "Es kamen circa dreißig Leute."),
    ("Dr. Müller operierte.", "Doktor Müller operierte."),
    ("Prof. Dr. Anna Schmidt sprach.", "Professor Doktor Anna Schmidt sprach."),
    ("Siehe Nr. 5 im Anhang.", "Siehe Nummer fünf im Anhang."),
    ("Das steht auf S. 12.", "Das steht auf Seite zwölf."),
    ("Nach Art. 1 Abs. 2 GG ist das so.", "Nach Artikel eins Absatz zwei Grundgesetz ist das so."),
    ("Art. 5 des GG schützt die Presse.", "Artikel fünf des Grundgesetzes schützt die Presse."),
    ("Das gilt ggf. auch im Ausland.", "Das gilt gegebenenfalls auch im Ausland."),
    ("Der Preis ist inkl. MwSt.", "Der Preis ist inklusive Mehrwertsteuer."),
    ("Der Preis gilt zzgl. Versand.", "Der Preis gilt zuzüglich Versand."),
    ("Er kommt evtl. später.", "Er kommt eventuell später."),
    ("Das heißt, d. h. es gibt Neuwahlen.", "Das heißt, das heißt es gibt Neuwahlen."),
    ("Das gilt i. d. R. nicht.", "Das gilt in der Regel nicht."),
    ("Es gab Äpfel, Birnen etc.", "Es gab Äpfel, Birnen et cetera."),
    ("Vgl. dazu den Bericht.", "Vergleiche dazu den Bericht."),
    ("Die sog. Ampel ist am Ende.", "Die sogenannte Ampel ist am Ende."),
    (
        "Der sog. Islamische Staat ist geschwächt.",
        "Der sogenannte Islamische Staat ist geschwächt.",
    ),
    ("Im 18. Jh. lebte hier ein Maler.", "Im achtzehnten Jahrhundert lebte hier ein Maler."),
    ("Er wohnt in St. Pauli.", "Er wohnt in Sankt Pauli."),
    ("Er wohnt in der Hauptstr. 5 in Berlin.", "Er wohnt in der Hauptstraße fünf in Berlin."),
    ("Er wohnt in der Berliner Str. 12.", "Er wohnt in der Berliner Straße zwölf."),
    ("Das betrifft bspw. Rentner.", "Das betrifft beispielsweise Rentner."),
    ("Das betrifft insb. Frauen.", "Das betrifft insbesondere Frauen."),
    ("Das betrifft v. a. Kinder.", "Das betrifft vor allem Kinder."),
    ("Das stimmt z. T. nicht.", "Das stimmt zum Teil nicht."),
    ("Es gab Kekse o. ä. zum Kaffee.", "Es gab Kekse oder Ähnliches zum Kaffee."),
    ("Es gab Kuchen u. ä.", "Es gab Kuchen und Ähnliches."),
    ("Hr. Meier und Fr. Schmidt kamen.", "Herr Meier und Frau Schmidt kamen."),
    (
        "Die Hotline erreichen Sie unter Tel. 030 123456.",
        "Die Hotline erreichen Sie unter Telefon null drei null, eins zwei drei vier fünf sechs.",
    ),
    ("Laut § 5 ist das verboten.", "Laut Paragraf fünf ist das verboten."),
    (
        "Nach § 130 StGB ist das strafbar.",
        "Nach Paragraf hundertdreißig Strafgesetzbuch ist das strafbar.",
    ),
    ("Das regeln §§ 1 bis 3.", "Das regeln Paragrafen eins bis drei."),
    ("Siehe S. 12 ff. im Bericht.", "Siehe Seite zwölf folgende im Bericht."),
    (
        "Das regelt Art. 3 Abs. 1 S. 2 GG.",
        "Das regelt Artikel drei Absatz eins Satz zwei Grundgesetz.",
    ),
    ("Das Projekt kostet ca. 30 Mio. Euro.", "Das Projekt kostet circa dreißig Millionen Euro."),
]

ACRONYMS = [
    # Acronyms spelled or read as words.
    ("Die EU und die USA streiten.", "Die E U und die U S A streiten."),
    ("Die CDU und die SPD verhandeln.", "Die C D U und die S P D verhandeln."),
    ("Die ARD und das ZDF berichten.", "Die A R D und das Z D F berichten."),
    ("Der BGH hat entschieden.", "Der B G H hat entschieden."),
    ("Die NATO tagt in Brüssel.", "Die Nato tagt in Brüssel."),
    ("Die UNO warnt vor Hunger.", "Die Uno warnt vor Hunger."),
    ("Der DAX stieg deutlich.", "Der Dax stieg deutlich."),
    ("Die UNESCO schützt das Erbe.", "Die Unesco schützt das Erbe."),
    ("Die NASA startet eine Rakete.", "Die Nasa startet eine Rakete."),
    ("Die FIFA und die UEFA streiten.", "Die Fifa und die Uefa streiten."),
    ("Der ADAC warnt vor Staus.", "Der A D A C warnt vor Staus."),
    ("Die OPEC fördert weniger Öl.", "Die Opec fördert weniger Öl."),
    ("Der TÜV prüft das Auto.", "Der Tüv prüft das Auto."),
    ("Das BAföG steigt.", "Das Bafög steigt."),
    ("US-Präsident Biden reiste ab.", "U S Präsident Biden reiste ab."),
    ("Die CDU-Chefin sprach.", "Die C D U Chefin sprach."),
    ("Die GmbH meldete Insolvenz an.", "Die G M B H meldete Insolvenz an."),
    ("Der Ausstoß von CO2 sinkt.", "Der Ausstoß von C O zwei sinkt."),
    ("Die NGOs kritisieren den Beschluss.", "Die N G Os kritisieren den Beschluss."),
    ("Das Urteil des BGHs ist da.", "Das Urteil des B G Hs ist da."),
    ("Die AfD legt zu.", "Die A F D legt zu."),
    ("Die KI verändert die Arbeit.", "Die K I verändert die Arbeit."),
    ("Das WLAN ist kaputt.", "Das W-Lan ist kaputt."),
    ("EILMELDUNG: Der Kanzler tritt zurück.", "Eilmeldung: Der Kanzler tritt zurück."),
    ("Die WHO warnt.", "Die W H O warnt."),
    ("Der ICE fährt nach München.", "Der I C E fährt nach München."),
    ("Die S-Bahn fährt nach Hause.", "Die S-Bahn fährt nach Hause."),
    ("Die CDU/CSU-Fraktion stimmte zu.", "Die C D U C S U Fraktion stimmte zu."),
    ("Die G7 tagt in Italien.", "Die G sieben tagt in Italien."),
    ("Das 5G-Netz wird ausgebaut.", "Das fünf G-Netz wird ausgebaut."),
    ("Der Pkw stieß mit einem Lkw zusammen.", "Der P K W stieß mit einem L K W zusammen."),
    ("Die Zahl der COVID-19-Fälle steigt.", "Die Zahl der Covid neunzehn-Fälle steigt."),
    ("Die PISA-Studie zeigt Schwächen.", "Die Pisa-Studie zeigt Schwächen."),
]

SYMBOLS = [
    # Symbols, slashes and gender forms.
    ("Schmidt & Partner gewann.", "Schmidt und Partner gewann."),
    ("Die Bürgerinnen/Bürger sind gefragt.", "Die Bürgerinnen und Bürger sind gefragt."),
    ("Das gilt für Kauf/Miete.", "Das gilt für Kauf oder Miete."),
    ("Die Miete beträgt 800 €/Monat.", "Die Miete beträgt achthundert Euro pro Monat."),
    ("Bürger*innen sind eingeladen.", "Bürgerinnen sind eingeladen."),
    ("Lehrer:innen streiken.", "Lehrerinnen streiken."),
    ("Kolleg_innen kamen.", "Kolleginnen kamen."),
    ("Die BürgerInnen protestieren.", "Die Bürgerinnen protestieren."),
    ("Die Formel lautet 3 x 4 = 12.", "Die Formel lautet drei mal vier gleich zwölf."),
    ("Die Werte schwanken um ±2 Grad.", "Die Werte schwanken um plus minus zwei Grad."),
    ("Das Ergebnis: +3 Prozent.", "Das Ergebnis: plus drei Prozent."),
    ("Er trank 1½ Liter.", "Er trank eineinhalb Liter."),
    ("Die Kosten liegen bei ~5 Prozent.", "Die Kosten liegen bei etwa fünf Prozent."),
]

WEB = [
    # Web and e-mail addresses.
    ("Mehr unter www.tagesschau.de/inland/xyz.", "Mehr unter tagesschau punkt de."),
    (
        "Infos unter https://www.bundesregierung.de/breg-de/aktuelles?id=5.",
        "Infos unter bundesregierung punkt de.",
    ),
    ("Mehr auf tagesschau.de.", "Mehr auf tagesschau punkt de."),
    (
        "Schreiben Sie an info@stadt-musterhausen.de.",
        "Schreiben Sie an info ät stadt-musterhausen punkt de.",
    ),
    ("Kontakt: max.mustermann@example.com.", "Kontakt: max punkt mustermann ät example punkt com."),
    ("Folgen Sie @tagesschau.", "Folgen Sie ät tagesschau."),
]

COMPOUNDS = [
    # Numbers joined to words.
    ("In den 20er-Jahren boomte Berlin.", "In den zwanziger Jahren boomte Berlin."),
    ("Die 1920er Jahre waren wild.", "Die neunzehnhundertzwanziger Jahre waren wild."),
    ("Die 90er sind zurück.", "Die Neunziger sind zurück."),
    ("Er hat es 3-mal versucht.", "Er hat es dreimal versucht."),
    ("Er hat es 3mal versucht.", "Er hat es dreimal versucht."),
    ("Der 5-jährige Junge spielt.", "Der fünfjährige Junge spielt."),
    ("Die 18-Jährige gewann.", "Die Achtzehnjährige gewann."),
    ("Die Strafe ist 2-fach so hoch.", "Die Strafe ist zweifach so hoch."),
    ("Ich bin 100-prozentig sicher.", "Ich bin hundertprozentig sicher."),
    ("Ein 2er-Bob fuhr vorbei.", "Ein Zweier-Bob fuhr vorbei."),
    ("Er hat 3x gewonnen.", "Er hat dreimal gewonnen."),
    ("Die 3-Zimmer-Wohnung ist teuer.", "Die drei-Zimmer-Wohnung ist teuer."),
]

UNCHANGED = [
    # Ordinary text is left as written.
    (
        "Die Bundesregierung hat am Mittwoch entschieden.",
        "Die Bundesregierung hat am Mittwoch entschieden.",
    ),
    (
        "Der Kanzler sprach im Bundestag über die Lage.",
        "Der Kanzler sprach im Bundestag über die Lage.",
    ),
    (
        "„Das ist nicht akzeptabel“, sagte die Ministerin.",
        "„Das ist nicht akzeptabel“, sagte die Ministerin.",
    ),
    (
        "Die Grünen und die Linke kritisierten den Plan scharf.",
        "Die Grünen und die Linke kritisierten den Plan scharf.",
    ),
    ("Ist das wirklich so?", "Ist das wirklich so?"),
    ("Das ist eine neue Art.", "Das ist eine neue Art."),
    ("Er ging mit Max ins Kino.", "Er ging mit Max ins Kino."),
    ("Die S-Bahn und die U-Bahn fahren wieder.", "Die S-Bahn und die U-Bahn fahren wieder."),
    ("Er schrieb eine E-Mail an die Ministerin.", "Er schrieb eine E-Mail an die Ministerin."),
    (
        "Die Deutsche Bahn streicht Verbindungen – wieder einmal.",
        "Die Deutsche Bahn streicht Verbindungen – wieder einmal.",
    ),
]

EXTRA = [
    # Whole news sentences mixing several topics.
    (
        "Das gilt z. B. für Kinder, u. a. in Berlin usw.",
        "Das gilt zum Beispiel für Kinder, unter anderem in Berlin und so weiter.",
    ),
    ("„Das ist gut usw.“", "„Das ist gut und so weiter.“"),
    (
        "Die Preise stiegen um 3,5 % auf 5,99 € am 3. Mai.",
        "Die Preise stiegen um drei Komma fünf Prozent auf fünf Euro neunundneunzig am dritten"
        " Mai.",
    ),
    (
        "Am 12.07.2023 um 14:30 Uhr trafen sich die EU-Minister in Brüssel.",
        "Am zwölften Juli zweitausenddreiundzwanzig um vierzehn Uhr dreißig trafen sich die E U"
        " Minister in Brüssel.",
    ),
    (
        "Der BGH verhandelt am 3. Juni über Art. 5 GG.",
        "Der B G H verhandelt am dritten Juni über Artikel fünf Grundgesetz.",
    ),
    (
        "Die Inflation lag im Mai 2024 bei 2,4 %, so das Statistische Bundesamt.",
        "Die Inflation lag im Mai zweitausendvierundzwanzig bei zwei Komma vier Prozent, so das"
        " Statistische Bundesamt.",
    ),
    (
        "Der 1. FC Union Berlin verlor 0:2 gegen den FC Bayern.",
        "Der erste F C Union Berlin verlor null zu zwei gegen den F C Bayern.",
    ),
    (
        "Laut ifo-Institut sinkt das BIP um 0,3 %.",
        "Laut ifo-Institut sinkt das B I P um null Komma drei Prozent.",
    ),
    (
        "Die Strompreise lagen bei 41,3 ct/kWh, 5 % mehr ggü. dem Vorjahr.",
        "Die Strompreise lagen bei einundvierzig Komma drei Cent pro Kilowattstunde,"
        " fünf Prozent mehr gegenüber dem Vorjahr.",
    ),
    (
        "Der VfB Stuttgart schlug den FC Bayern am 34. Spieltag mit 3:1 (1:0).",
        "Der V F B Stuttgart schlug den F C Bayern am vierunddreißigsten Spieltag"
        " mit drei zu eins (eins zu null).",
    ),
    (
        "Das Unternehmen (Umsatz: 3,2 Mrd. €; 12.500 Mitarbeiter) gehört zur VW AG.",
        "Das Unternehmen (Umsatz: drei Komma zwei Milliarden Euro;"
        " zwölftausendfünfhundert Mitarbeiter) gehört zur V W A G.",
    ),
    (
        "Der 24-Jährige wurde in der 78. Minute eingewechselt.",
        "Der Vierundzwanzigjährige wurde in der achtundsiebzigsten Minute eingewechselt.",
    ),
]

HEADLINES = [
    # Round 2 (real news): all-caps headlines, initials with small letters, names.
    ("TRUMP DROHT MIT NEUEN ZÖLLEN", "Trump Droht Mit Neuen Zöllen"),
    ("EILMELDUNG: MERZ TRITT ZURÜCK", "Eilmeldung: Merz Tritt Zurück"),
    ("USA UND EU EINIGEN SICH", "U S A Und E U Einigen Sich"),
    ("OECD WARNT VOR REZESSION", "O E C D Warnt Vor Rezession"),
    ("Die USA und die EU einigten sich.", "Die U S A und die E U einigten sich."),
    (
        "Die Mission der ESA startet 2026.",
        "Die Mission der Esa startet zweitausendsechsundzwanzig.",
    ),
    ("Der MdB sprach im Plenum.", "Der M D B sprach im Plenum."),
    ("Der EuGH urteilte am Dienstag.", "Der E U G H urteilte am Dienstag."),
    ("Die KW 12 bringt Frühlingswetter.", "Die Kalenderwoche zwölf bringt Frühlingswetter."),
    ("In der 12. KW wird gebaut.", "In der zwölften Kalenderwoche wird gebaut."),
    ("Die Gewerkschaft ver.di ruft zum Streik auf.", "Die Gewerkschaft Verdi ruft zum Streik auf."),
    ("Die KI verändert die Arbeitswelt.", "Die K I verändert die Arbeitswelt."),
    ("Der ÖPNV wird ausgebaut.", "Der Ö P N V wird ausgebaut."),
    (
        "Die COVID-19-Pandemie hat die Wirtschaft getroffen.",
        "Die Covid neunzehn-Pandemie hat die Wirtschaft getroffen.",
    ),
    ("Die G7 treffen sich in Italien.", "Die G sieben treffen sich in Italien."),
    ("Der Ausbau des 5G-Netzes stockt.", "Der Ausbau des fünf G-Netzes stockt."),
    ("VW stellt den ID.3 vor.", "V W stellt den I D drei vor."),
]

DATELINES = [
    # Datelines lose their agency tag; emoji, arrows; towns on rivers.
    (
        "Berlin (dpa) – Der Bundestag hat das Gesetz beschlossen.",
        "Berlin – Der Bundestag hat das Gesetz beschlossen.",
    ),
    ("Hamburg (AFP) - Die Hafenarbeiter streiken.", "Hamburg - Die Hafenarbeiter streiken."),
    (
        "München (dpa/lby) – Ein Mann ist in der Isar ertrunken.",
        "München – Ein Mann ist in der Isar ertrunken.",
    ),
    ("Frankfurt/Main (dpa-AFX) - Der Dax stieg.", "Frankfurt am Main - Der Dax stieg."),
    ("Die Partei (dpa) sagt – nein.", "Die Partei (dpa) sagt – nein."),
    ("Das war ein tolles Spiel 😀👍", "Das war ein tolles Spiel"),
    ("Preise steigen -> Kunden sparen.", "Preise steigen, Kunden sparen."),
    (
        "Er lebt in Halle/Saale und Frankfurt/Oder.",
        "Er lebt in Halle an der Saale und Frankfurt an der Oder.",
    ),
    (
        "Der 19-Jährige aus Bad Homburg v. d. Höhe wurde festgenommen.",
        "Der Neunzehnjährige aus Bad Homburg vor der Höhe wurde festgenommen.",
    ),
    (
        "In Frankfurt a. M. demonstrierten 2.500 Menschen.",
        "In Frankfurt am Main demonstrierten zweitausendfünfhundert Menschen.",
    ),
]

ROADS_AND_TRAINS = [
    # Roads, lines and stations: labels read the number as a plain number.
    (
        "Auf der A7 bei Hamburg staut es sich auf 12 km.",
        "Auf der A sieben bei Hamburg staut es sich auf zwölf Kilometer.",
    ),
    (
        "Auf der A 1 Richtung Bremen kam es zu einem Unfall.",
        "Auf der A eins Richtung Bremen kam es zu einem Unfall.",
    ),
    (
        "Die L 1100 bleibt bis Ende Juni gesperrt.",
        "Die L tausendhundert bleibt bis Ende Juni gesperrt.",
    ),
    (
        "Die B 51 ist wegen Bauarbeiten gesperrt.",
        "Die B einundfünfzig ist wegen Bauarbeiten gesperrt.",
    ),
    (
        "Der ICE 123 nach München fällt aus.",
        "Der I C E hundertdreiundzwanzig nach München fällt aus.",
    ),
    ("Die Linie S1 fährt im 10-Minuten-Takt.", "Die Linie S eins fährt im zehn-Minuten-Takt."),
    ("Treffpunkt ist Köln Hbf um 10 Uhr.", "Treffpunkt ist Köln Hauptbahnhof um zehn Uhr."),
    ("Treffpunkt ist der Hbf.", "Treffpunkt ist der Hauptbahnhof."),
    ("Der Bf. Altona wird verlegt.", "Der Bahnhof Altona wird verlegt."),
    ("Das Denkmal steht am Goethepl. 3.", "Das Denkmal steht am Goetheplatz drei."),
    ("Es kostet 3.50 €.", "Es kostet drei Euro fünfzig."),
    ("Die Quote lag bei 3.25 %.", "Die Quote lag bei drei Komma zwei fünf Prozent."),
    (
        "Der ICE 1024 hat 30 Min. Verspätung.",
        "Der I C E tausendvierundzwanzig hat dreißig Minuten Verspätung.",
    ),
]

LEGAL = [
    # Courts, case numbers, titles and abbreviations of the court pages.
    (
        "Das Urteil (Az. 3 StR 123/22) ist rechtskräftig.",
        "Das Urteil (Aktenzeichen drei S T R hundertdreiundzwanzig Strich zweiundzwanzig)"
        " ist rechtskräftig.",
    ),
    (
        "Die Klage (Az. 1 BvR 123/20) wurde abgewiesen.",
        "Die Klage (Aktenzeichen eins B V R hundertdreiundzwanzig Strich zwanzig) wurde"
        " abgewiesen.",
    ),
    (
        "Das BVerfG erklärte das Gesetz für verfassungswidrig.",
        "Das Bundesverfassungsgericht erklärte das Gesetz für verfassungswidrig.",
    ),
    ("Das ist ein Urteil des BVerfG.", "Das ist ein Urteil des Bundesverfassungsgerichts."),
    (
        "Der Streit um § 219a StGB ist beendet.",
        "Der Streit um Paragraf zweihundertneunzehn a Strafgesetzbuch ist beendet.",
    ),
    (
        "Nach § 3 Abs. 3 Satz 2 BGB ist das zulässig.",
        "Nach Paragraf drei Absatz drei Satz zwei B G B ist das zulässig.",
    ),
    (
        "Das AG München verhängte 90 Tagessätze à 50 Euro.",
        "Das A G München verhängte neunzig Tagessätze zu je fünfzig Euro.",
    ),
    ("Dr. med. Anna Müller leitet die Klinik.", "Doktor med Anna Müller leitet die Klinik."),
    (
        "Prof. Dr. med. Karl Lauterbach ist Gesundheitsminister.",
        "Professor Doktor med Karl Lauterbach ist Gesundheitsminister.",
    ),
    ("Der Oberst a. D. meldete sich zu Wort.", "Der Oberst außer Dienst meldete sich zu Wort."),
    ("Der Bürgermeister i. R. sprach.", "Der Bürgermeister im Ruhestand sprach."),
    ("Die o. g. Regeln gelten weiter.", "Die oben genannten Regeln gelten weiter."),
    ("Der Minister ist z. Zt. im Urlaub.", "Der Minister ist zurzeit im Urlaub."),
]

SPORTS = [
    # Match reports: minutes in brackets, placings, durations, odds.
    (
        "Tore: 1:0 Kane (23.), 2:0 Musiala (56.)",
        "Tore: eins zu null Kane (dreiundzwanzigste Minute), zwei zu null Musiala"
        " (sechsundfünfzigste Minute)",
    ),
    ("Gelb-Rot: Hummels (BVB, 67.)", "Gelb-Rot: Hummels (B V B, siebenundsechzigste Minute)"),
    ("Bayern (1.) empfängt Leverkusen (2.).", "Bayern (Erster) empfängt Leverkusen (Zweiter)."),
    ("Er wurde 2.", "Er wurde Zweiter."),
    ("Sie wurde bei der WM 3.", "Sie wurde bei der W M Dritte."),
    ("Die Queen wurde 90.", "Die Queen wurde neunzig."),
    ("Sie landete auf Platz 3.", "Sie landete auf Platz drei."),
    ("Er kam am 3.", "Er kam am dritten."),
    ("Sie war die 2.", "Sie war die zweite."),
    ("Der Eintritt ist frei für Kinder ab 3.", "Der Eintritt ist frei für Kinder ab drei."),
    ("Sie bekam eine 1.", "Sie bekam eine eins."),
    ("Die Zahl der Toten stieg auf 1.", "Die Zahl der Toten stieg auf eins."),
    ("Der Lauf dauerte 1:30 Stunden.", "Der Lauf dauerte eine Stunde und dreißig Minuten."),
    (
        "Die Biathletin lief 7,5 km in 21:30 Minuten.",
        "Die Biathletin lief sieben Komma fünf Kilometer in einundzwanzig Minuten und"
        " dreißig Sekunden.",
    ),
    (
        "Die Wahrscheinlichkeit liegt bei 1:1000.",
        "Die Wahrscheinlichkeit liegt bei eins zu tausend.",
    ),
    ("Bundesliga, 12. Spieltag", "Bundesliga, zwölfter Spieltag"),
    ("Der BVB empfängt Schalke 04.", "Der B V B empfängt Schalke null vier."),
    (
        "Das EM-Finale endete 2:1 nach Verlängerung.",
        "Das E M Finale endete zwei zu eins nach Verlängerung.",
    ),
    (
        "Hannover 96 spielt gegen den 1. FSV Mainz 05.",
        "Hannover sechsundneunzig spielt gegen den ersten F S V Mainz null fünf.",
    ),
]

LISTINGS = [
    # Event listings and lists: weekdays, ranges, list items, abbreviations after numbers.
    ("1. Die Steuern sinken.", "Erstens: Die Steuern sinken."),
    ("2) Wir fordern mehr Geld.", "Zweitens: Wir fordern mehr Geld."),
    ("1. FC Köln gewinnt.", "erster F C Köln gewinnt."),
    (
        "Geöffnet Mo.–Fr. von 9 bis 18 Uhr.",
        "Geöffnet Montag bis Freitag von neun bis achtzehn Uhr.",
    ),
    ("Geöffnet Mo–Fr 9–18 Uhr.", "Geöffnet Montag bis Freitag neun bis achtzehn Uhr."),
    (
        "Das Museum öffnet Di.–So. 10–18 Uhr.",
        "Das Museum öffnet Dienstag bis Sonntag zehn bis achtzehn Uhr.",
    ),
    ("Geöffnet Sa./So.", "Geöffnet Samstag und Sonntag."),
    (
        "Mo, 3.6., 19 Uhr: Lesung im Rathaus",
        "Montag, dritter Juni, neunzehn Uhr: Lesung im Rathaus",
    ),
    ("Sa. 8.6. ab 14 Uhr Sommerfest", "Samstag achter Juni ab vierzehn Uhr Sommerfest"),
    ("Der Film läuft ab Do. im Kino.", "Der Film läuft ab Donnerstag im Kino."),
    ("Am Sonntag, 3. März, wählt Bayern.", "Am Sonntag, dritten März, wählt Bayern."),
    (
        "Der Gemeinderat tagt am Do., 14. März, 19 Uhr, im Rathaus.",
        "Der Gemeinderat tagt am Donnerstag, vierzehnten März, neunzehn Uhr, im Rathaus.",
    ),
    ("Eintritt: 8 €, erm. 5 €", "Eintritt: acht Euro, ermäßigt fünf Euro"),
    (
        "Das Buch (320 S., 24 €) erscheint im Herbst.",
        "Das Buch (dreihundertzwanzig Seiten, vierundzwanzig Euro) erscheint im Herbst.",
    ),
    ("Die Gemeinde hat 9.500 Einw.", "Die Gemeinde hat neuntausendfünfhundert Einwohner."),
    ("Die Ölheizung ist 30 J. alt.", "Die Ölheizung ist dreißig Jahre alt."),
]

COUNTED_ONE = [
    # A counted 1 takes the case its preposition or noun calls for.
    (
        "Bei dem Unfall gab es 1 Toten und drei Verletzte.",
        "Bei dem Unfall gab es einen Toten und drei Verletzte.",
    ),
    (
        "Die Polizei meldet 1 Toter und 2 Schwerverletzte.",
        "Die Polizei meldet ein Toter und zwei Schwerverletzte.",
    ),
    ("Es gab 1 Verletzten.", "Es gab einen Verletzten."),
    ("Der Zug kam mit 1 Toten an.", "Der Zug kam mit einem Toten an."),
    ("Nach 1 Stunde war alles vorbei.", "Nach einer Stunde war alles vorbei."),
    ("Seit 1 Jahr wartet er.", "Seit einem Jahr wartet er."),
    ("Für 1 Monat gilt das.", "Für einen Monat gilt das."),
    ("In 1 Woche ist es so weit.", "In einer Woche ist es so weit."),
    ("Er bekam 1 Jahr Haft.", "Er bekam ein Jahr Haft."),
    ("Er kam mit 1 Euro aus.", "Er kam mit einem Euro aus."),
    ("Für 1 Dollar gibt es nichts.", "Für einen Dollar gibt es nichts."),
    ("Er fuhr mit 1 km/h.", "Er fuhr mit einem Kilometer pro Stunde."),
]

PHONES_AND_PLACES = [
    # Phone numbers without a keyword and postcodes are read digit by digit.
    (
        "Die Hotline ist unter 0800 1234567 erreichbar.",
        "Die Hotline ist unter null acht null null, eins zwei drei vier fünf sechs sieben"
        " erreichbar.",
    ),
    (
        "Anrufe unter (0221) 12345 oder +49 30 123456.",
        "Anrufe unter null zwei zwei eins, eins zwei drei vier fünf oder plus vier neun,"
        " drei null, eins zwei drei vier fünf sechs.",
    ),
    (
        "Das Amt zog nach 10115 Berlin, Invalidenstraße 44.",
        "Das Amt zog nach eins null eins eins fünf Berlin, Invalidenstraße vierundvierzig.",
    ),
    (
        "Das Unternehmen hat Sitz in 80331 München.",
        "Das Unternehmen hat Sitz in acht null drei drei eins München.",
    ),
    ("Hauptstraße 5, 50667 Köln", "Hauptstraße fünf, fünf null sechs sechs sieben Köln"),
    ("Es kamen 12345 Menschen.", "Es kamen zwölftausenddreihundertfünfundvierzig Menschen."),
    (
        "Es lebten dort 50000 Menschen in 20000 Haushalten.",
        "Es lebten dort fünfzigtausend Menschen in zwanzigtausend Haushalten.",
    ),
    (
        "Die Polizei (Tel. 0221/229-0) bittet um Hinweise.",
        "Die Polizei (Telefon null zwei zwei eins, zwei zwei neun, null) bittet um Hinweise.",
    ),
    (
        "Zeugen melden sich unter 0621 174-4444.",
        "Zeugen melden sich unter null sechs zwei eins, eins sieben vier, vier vier vier vier.",
    ),
]

AMOUNTS = [
    # Magnitudes without a period, English decimal points, fractions, percent compounds.
    ("Die Stadt hat 50 Tsd. Einwohner.", "Die Stadt hat fünfzigtausend Einwohner."),
    ("Das kostet 7 Mio Euro.", "Das kostet sieben Millionen Euro."),
    ("Die Schulden betragen 3 Mrd Euro.", "Die Schulden betragen drei Milliarden Euro."),
    ("Das Wachstum lag bei 3.5 Prozent.", "Das Wachstum lag bei drei Komma fünf Prozent."),
    ("Die Quote lag bei 3.25 %.", "Die Quote lag bei drei Komma zwei fünf Prozent."),
    ("Die Version 2.0 ist da.", "Die Version zwei Punkt null ist da."),
    ("Etwa 1/3 der Befragten stimmte zu.", "Etwa ein Drittel der Befragten stimmte zu."),
    ("Rund 3/4 der Haushalte heizen mit Gas.", "Rund drei Viertel der Haushalte heizen mit Gas."),
    ("Die Preise stiegen um 1/4.", "Die Preise stiegen um ein Viertel."),
    ("Die FDP scheiterte an der 5-%-Hürde.", "Die F D P scheiterte an der fünf-Prozent-Hürde."),
    ("Die Linke scheiterte an der 5%-Hürde.", "Die Linke scheiterte an der fünf-Prozent-Hürde."),
    ("Die Quote stieg um 2 %-Punkte.", "Die Quote stieg um zwei Prozentpunkte."),
    ("Erlaubt sind Werte ≥ 18.", "Erlaubt sind Werte größer oder gleich achtzehn."),
    (
        "Der CO2-Gehalt liegt bei 420 ppm.",
        "Der C O zwei-Gehalt liegt bei vierhundertzwanzig P P M.",
    ),
    (
        "Der Konzern investiert 2 Mrd. US-Dollar.",
        "Der Konzern investiert zwei Milliarden U S Dollar.",
    ),
    ("Der Euro gab −0,5 % nach.", "Der Euro gab minus null Komma fünf Prozent nach."),
    ("Die Toleranz liegt bei ± 2 mm.", "Die Toleranz liegt bei plus minus zwei Millimeter."),
]

ROYALS = [
    # Regnal numbers (queens take ``die``), eras, centuries.
    (
        "Elisabeth II. starb im September 2022.",
        "Elisabeth die Zweite starb im September zweitausendzweiundzwanzig.",
    ),
    (
        "Ein Porträt von Königin Elisabeth II. hängt dort.",
        "Ein Porträt von Königin Elisabeth der Zweiten hängt dort.",
    ),
    (
        "Papst Leo XIV. hielt seine erste Predigt.",
        "Papst Leo der Vierzehnte hielt seine erste Predigt.",
    ),
    (
        "Johannes Paul II. wurde heiliggesprochen.",
        "Johannes Paul der Zweite wurde heiliggesprochen.",
    ),
    ("Heinrich VIII. hatte sechs Frauen.", "Heinrich der Achte hatte sechs Frauen."),
    (
        "Kaiser Wilhelm II. dankte 1918 ab.",
        "Kaiser Wilhelm der Zweite dankte neunzehnhundertachtzehn ab.",
    ),
    ("Karl der Große wurde 800 gekrönt.", "Karl der Große wurde achthundert gekrönt."),
    (
        "Friedrich II. von Preußen wurde der Große genannt.",
        "Friedrich der Zweite von Preußen wurde der Große genannt.",
    ),
    (
        "Die Stadt wurde 753 v. Chr. gegründet.",
        "Die Stadt wurde siebenhundertdreiundfünfzig vor Christus gegründet.",
    ),
    ("Die Kirche stammt aus dem 12. Jhd.", "Die Kirche stammt aus dem zwölften Jahrhundert."),
    ("Bündnis 90/Die Grünen legten zu.", "Bündnis neunzig Die Grünen legten zu."),
]

GOLDEN = [
    *[pytest.param(text, spoken, id=f"numbers-{i}") for i, (text, spoken) in enumerate(NUMBERS)],
    *[pytest.param(text, spoken, id=f"years-{i}") for i, (text, spoken) in enumerate(YEARS)],
    *[pytest.param(text, spoken, id=f"ordinals-{i}") for i, (text, spoken) in enumerate(ORDINALS)],
    *[pytest.param(text, spoken, id=f"dates-{i}") for i, (text, spoken) in enumerate(DATES)],
    *[pytest.param(text, spoken, id=f"times-{i}") for i, (text, spoken) in enumerate(TIMES)],
    *[pytest.param(text, spoken, id=f"ranges-{i}") for i, (text, spoken) in enumerate(RANGES)],
    *[pytest.param(text, spoken, id=f"scores-{i}") for i, (text, spoken) in enumerate(SCORES)],
    *[pytest.param(text, spoken, id=f"currency-{i}") for i, (text, spoken) in enumerate(CURRENCY)],
    *[pytest.param(text, spoken, id=f"percent-{i}") for i, (text, spoken) in enumerate(PERCENT)],
    *[pytest.param(text, spoken, id=f"units-{i}") for i, (text, spoken) in enumerate(UNITS)],
    *[
        pytest.param(text, spoken, id=f"abbreviations-{i}")
        for i, (text, spoken) in enumerate(ABBREVIATIONS)
    ],
    *[pytest.param(text, spoken, id=f"acronyms-{i}") for i, (text, spoken) in enumerate(ACRONYMS)],
    *[pytest.param(text, spoken, id=f"symbols-{i}") for i, (text, spoken) in enumerate(SYMBOLS)],
    *[pytest.param(text, spoken, id=f"web-{i}") for i, (text, spoken) in enumerate(WEB)],
    *[
        pytest.param(text, spoken, id=f"compounds-{i}")
        for i, (text, spoken) in enumerate(COMPOUNDS)
    ],
    *[
        pytest.param(text, spoken, id=f"unchanged-{i}")
        for i, (text, spoken) in enumerate(UNCHANGED)
    ],
    *[pytest.param(text, spoken, id=f"extra-{i}") for i, (text, spoken) in enumerate(EXTRA)],
    *[
        pytest.param(text, spoken, id=f"headlines-{i}")
        for i, (text, spoken) in enumerate(HEADLINES)
    ],
    *[
        pytest.param(text, spoken, id=f"datelines-{i}")
        for i, (text, spoken) in enumerate(DATELINES)
    ],
    *[
        pytest.param(text, spoken, id=f"roads-and-trains-{i}")
        for i, (text, spoken) in enumerate(ROADS_AND_TRAINS)
    ],
    *[pytest.param(text, spoken, id=f"legal-{i}") for i, (text, spoken) in enumerate(LEGAL)],
    *[pytest.param(text, spoken, id=f"sports-{i}") for i, (text, spoken) in enumerate(SPORTS)],
    *[pytest.param(text, spoken, id=f"listings-{i}") for i, (text, spoken) in enumerate(LISTINGS)],
    *[
        pytest.param(text, spoken, id=f"counted-one-{i}")
        for i, (text, spoken) in enumerate(COUNTED_ONE)
    ],
    *[
        pytest.param(text, spoken, id=f"phones-and-places-{i}")
        for i, (text, spoken) in enumerate(PHONES_AND_PLACES)
    ],
    *[pytest.param(text, spoken, id=f"amounts-{i}") for i, (text, spoken) in enumerate(AMOUNTS)],
    *[pytest.param(text, spoken, id=f"royals-{i}") for i, (text, spoken) in enumerate(ROYALS)],
]


def test_the_golden_table_is_large_enough() -> None:
    assert len(GOLDEN) >= 440


@pytest.mark.parametrize(("text", "spoken"), GOLDEN)
def test_golden(text: str, spoken: str) -> None:
    assert normalize(text, "de") == spoken


@pytest.mark.parametrize("lang", ["de-DE", "de-AT", "de_CH"])
def test_regional_codes_use_the_german_steps(lang: str) -> None:
    assert normalize("Am 3. Mai kostet es 5 €.", lang) == "Am dritten Mai kostet es fünf Euro."


# single steps -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Bundes\u00adregierung", "Bundesregierung"),
        ("\u22125 Grad", "-5 Grad"),
        ("CO\u2082", "CO2"),
        ("Null\u200bbreite", "Nullbreite"),
    ],
)
def test_clean_characters(text: str, cleaned: str) -> None:
    assert de.clean_characters(text) == cleaned


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("http://example.org:8080/a/b?c=d", "example punkt org"),
        ("Siehe https://www.zdf.de.", "Siehe zdf punkt de."),
        ("(www.bund.de)", "(bund punkt de)"),
        ("an presse@bmi.bund.de!", "an presse ät bmi punkt bund punkt de!"),
        ("Das ist z.B. gut.", "Das ist z.B. gut."),
    ],
)
def test_read_web_addresses(text: str, spoken: str) -> None:
    assert de.read_web_addresses(text) == spoken


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("Schüler/-innen", "Schülerinnen"),
        ("Schüler/innen", "Schülerinnen"),
        ("jede*r", "jeder"),
        ("LehrerIn", "Lehrerin"),
        ("Hinweis: innen", "Hinweis: innen"),
        ("und/oder", "und/oder"),
    ],
)
def test_join_gender_forms(text: str, joined: str) -> None:
    assert de.join_gender_forms(text) == joined


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("Ca. 30 Leute", "Circa 30 Leute"),
        ("Das kostet 1 Mio.", "Das kostet 1 Million."),
        ("Das kostet 2 Mio. Euro", "Das kostet 2 Millionen Euro"),
        ("Äpfel usw.!", "Äpfel und so weiter!"),
        ("(usw.)", "(und so weiter.)"),
        ("des sog. Plans", "des sogenannten Plans"),
        ("ein sog. Gipfel", "ein sogenannter Gipfel"),
        ("ein sog. Bündnis", "ein sogenanntes Bündnis"),
        ("Mr. Smith", "Mr. Smith"),
    ],
)
def test_expand_abbreviations(text: str, expanded: str) -> None:
    assert de.expand_abbreviations(text) == expanded


@pytest.mark.parametrize(
    ("text", "expanded"),
    [
        ("Art. 5", "Artikel 5"),
        ("eine neue Art.", "eine neue Art."),
        ("Abs. 2 S. 1", "Absatz 2 Satz 1"),
        ("auf S. 7 f.", "auf Seite 7 folgende."),
    ],
)
def test_expand_number_abbreviations(text: str, expanded: str) -> None:
    assert de.expand_number_abbreviations(text) == expanded


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("am 3. Mai", "am dritten Mai"),
        ("der 3. und 4. Platz", "der dritte und vierte Platz"),
        ("vom 3.–5. Mai", "vom dritten bis fünften Mai"),
        ("das 2. Spiel", "das zweite Spiel"),
        ("ins 3. Jahr", "ins dritte Jahr"),
        ("ein 3. Platz", "ein dritter Platz"),
        ("seinem 5. Album", "seinem fünften Album"),
        ("Er wurde 3. bei der WM", "Er wurde 3. bei der WM"),
        ("Im Jahr 1998. Dann", "Im Jahr 1998. Dann"),
        ("am 3.", "am dritten."),  # sentence-final: "Er kam am 3."
    ],
)
def test_read_ordinals(text: str, spoken: str) -> None:
    assert de.read_ordinals(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("um 25:00 Uhr", "um 25:00 Uhr"),
        ("Es steht 14:30.", "Es steht 14:30."),
        ("ab 7:45", "ab sieben Uhr fünfundvierzig"),
        ("5 h", "5 h"),
        ("14.30 h", "vierzehn Uhr dreißig"),
    ],
)
def test_read_times(text: str, spoken: str) -> None:
    assert de.read_times(text) == spoken


def test_scores_take_what_times_leave() -> None:
    assert de.read_scores(de.read_times("Es steht 14:30.")) == "Es steht vierzehn zu dreißig."


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("10–12", "10 bis 12"),
        ("3-2", "3-2"),
        ("030-1234", "030-1234"),
        ("2023-24", "2023 bis 24"),
        ("7.000–8.000", "7.000 bis 8.000"),
    ],
)
def test_read_ranges(text: str, spoken: str) -> None:
    assert de.read_ranges(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("DIE", "Die"),
        ("XIV", "vierzehn"),
        ("OECD", "O E C D"),
        ("UNHCR", "U N H C R"),
        ("Ifo", "Ifo"),
        ("iPhone", "iPhone"),
        ("McDonald", "McDonald"),
        ("Pkws", "P K Ws"),
        ("A", "A"),
    ],
)
def test_read_acronyms(text: str, spoken: str) -> None:
    assert de.read_acronyms(text) == spoken


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Berlin (dpa) – Der Rat tagt.", "Berlin – Der Rat tagt."),
        ("Bad Homburg (dpa/lhe) - Ein Brand.", "Bad Homburg - Ein Brand."),
        ("Genf (Reuters/AFP) – Die UN warnen.", "Genf – Die UN warnen."),
        ("Die Agentur (dpa) meldet – nichts.", "Die Agentur (dpa) meldet – nichts."),
        ("Laut dpa (Berlin) – nichts.", "Laut dpa (Berlin) – nichts."),
    ],
)
def test_drop_agency_tags(text: str, cleaned: str) -> None:
    assert de.drop_agency_tags(text) == cleaned


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("ver.di streikt", "Verdi streikt"),
        ("in Frankfurt/Oder", "in Frankfurt an der Oder"),
        ("in Frankfurt/M.", "in Frankfurt am Main"),
        ("Mülheim/Ruhr", "Mülheim an der Ruhr"),
        ("Rhein/Ruhr", "Rhein/Ruhr"),
        ("Kauf/Miete", "Kauf/Miete"),
    ],
)
def test_read_place_names(text: str, spoken: str) -> None:
    assert de.read_place_names(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Artikel 1 Absatz", "Artikel eins Absatz"),
        ("1 Stunde", "eine Stunde"),
        ("1 Jahr", "ein Jahr"),
        ("1 von 3", "eins von drei"),
        ("rund 1500", "rund tausendfünfhundert"),
        ("im Jahr 1500", "im Jahr fünfzehnhundert"),
        ("192.168.0.1", "hundertzweiundneunzig Punkt hundertachtundsechzig Punkt null Punkt eins"),
        ("Tempo-30-Zone", "Tempo-dreißig-Zone"),
    ],
)
def test_read_numbers(text: str, spoken: str) -> None:
    assert de.read_numbers(text) == spoken


def test_steps_are_documented_and_end_by_tidying_spaces() -> None:
    assert de.STEPS[-1].__name__ == "tidy_punctuation_spacing"
    assert all(step.__doc__ for step in de.STEPS)
    assert len(set(de.STEPS)) == len(de.STEPS)


# properties ---------------------------------------------------------------------------------

_PLAIN_WORD = st.text("abcdefghijklmnopqrstuvwxyzäöüß", min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_returns_text(text: str) -> None:
    assert isinstance(normalize(text, "de"), str)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(_PLAIN_WORD, st.booleans()).map(lambda w: w[0].capitalize() if w[1] else w[0]),
        min_size=1,
        max_size=12,
    )
)
def test_plain_words_are_left_alone(words: list[str]) -> None:
    assume(not set(words) & data.SPELLED_WORDS)  # "Pkw" is an abbreviation
    sentence = " ".join(words) + " gut."  # "ca." would be one too
    assert normalize(sentence, "de") == sentence


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["{}", "{:,}", "{} €", "{} %"]))
def test_numbers_are_always_read_as_words(number: int, template: str) -> None:
    written = template.format(number).replace(",", ".")
    spoken = normalize(f"Es waren {written} insgesamt.", "de")
    assert not any(char.isdigit() for char in spoken)


def test_a_symbol_before_punctuation_leaves_no_stray_space() -> None:
    """Regression: "SZ+." was spoken as "S Z plus ." with a space before the period."""
    assert normalize("Das Abo heißt SZ+.", "de") == "Das Abo heißt S Z plus."

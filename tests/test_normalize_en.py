"""English normalization end to end: news sentences in, the text an engine should read out."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrate.speech.normalize import en_data, normalize

NUMBERS = [
    (
        "The company hired 7,000 workers last year.",
        "The company hired seven thousand workers last year.",
    ),
    (
        "It sold 1,234,567 units.",
        "It sold one million two hundred thirty-four thousand five hundred sixty-seven units.",
    ),
    ("The rate stands at 3.5 now.", "The rate stands at three point five now."),
    ("Only 0.25 of the vote was counted.", "Only zero point two five of the vote was counted."),
    (
        "There were 12 ministers and 101 MPs.",
        "There were twelve ministers and one hundred one M P's.",
    ),
    ("The debt is 10,000,000,000,000 dollars.", "The debt is ten trillion dollars."),
    ("Roe v. Wade was decided in 1973.", "Roe versus Wade was decided in nineteen seventy-three."),
    ("Plan A v.", "Plan A v."),
    ("Agent 007 returns.", "Agent zero zero seven returns."),
    ("Python 3.11.7 was released.", "Python three point eleven point seven was released."),
    ("The score was 0 at the break.", "The score was zero at the break."),
    ("About 1500 people came.", "About fifteen hundred people came."),
]

YEARS = [
    ("He was born in 1850.", "He was born in eighteen fifty."),
    ("The war ended in 1998.", "The war ended in nineteen ninety-eight."),
    ("The crash came in 2008.", "The crash came in two thousand eight."),
    ("Elections are due in 2024.", "Elections are due in twenty twenty-four."),
    ("The club was founded in 1900.", "The club was founded in nineteen hundred."),
    ("The law dates from 2000.", "The law dates from two thousand."),
    ("The bridge opened in 1905.", "The bridge opened in nineteen oh five."),
    ("It was a hit in the 1990s.", "It was a hit in the nineteen nineties."),
    ("It was big in the '90s.", "It was big in the nineties."),
    ("Prices rose in the mid-1970s.", "Prices rose in the mid-nineteen seventies."),
    ("She is in her 30s.", "She is in her thirties."),
    ("The 2010s were calm.", "The twenty tens were calm."),
    ("He served from 2010–2015.", "He served from twenty ten to twenty fifteen."),
    ("The plan runs 2020-25.", "The plan runs twenty twenty to twenty twenty-five."),
]

ORDINALS_AND_DATES = [
    ("She came 1st in the race.", "She came first in the race."),
    ("He was 2nd and she was 3rd.", "He was second and she was third."),
    ("It is the 21st century.", "It is the twenty-first century."),
    ("The firm marks its 100th year.", "The firm marks its one hundredth year."),
    ("The vote is on May 3.", "The vote is on May third."),
    ("The deadline is May 3rd, 2024.", "The deadline is May third, twenty twenty-four."),
    (
        "It happened on 3 May 2024 in London.",
        "It happened on the third of May twenty twenty-four in London.",
    ),
    ("The file is dated 2024-05-03.", "The file is dated May third, twenty twenty-four."),
    ("The form says 05/03/2024.", "The form says May third, twenty twenty-four."),
    ("The form says 25/12/2023.", "The form says December twenty-fifth, twenty twenty-three."),
    ("Talks resume on Jan. 5.", "Talks resume on January fifth."),
    ("It was Sept. 11, 2001.", "It was September eleventh, two thousand one."),
    ("Sales peaked in March 2020.", "Sales peaked in March twenty twenty."),
    ("It was the 3rd of May.", "It was the third of May."),
    ("You may go now.", "You may go now."),
]

REGNAL = [
    ("Queen Elizabeth II died in 2022.", "Queen Elizabeth the Second died in twenty twenty-two."),
    ("Henry VIII had six wives.", "Henry the Eighth had six wives."),
    ("Louis XIV's palace is vast.", "Louis the Fourteenth's palace is vast."),
    ("Pope Benedict XVI resigned.", "Pope Benedict the Sixteenth resigned."),
    ("King Charles III was crowned.", "King Charles the Third was crowned."),
    ("World War II ended in 1945.", "World War Two ended in nineteen forty-five."),
    ("World War I began in 1914.", "World War One began in nineteen fourteen."),
    ("The cancer was Stage IV.", "The cancer was Stage Four."),
    ("Elizabeth I ruled England.", "Elizabeth the First ruled England."),
]

TIMES_AND_SCORES = [
    ("The meeting is at 2:30 p.m. today.", "The meeting is at two thirty p m today."),
    ("We meet at 2:30pm.", "We meet at two thirty p m."),
    ("The shop opens at 9 a.m.", "The shop opens at nine a m."),
    ("Trains leave at 14:30.", "Trains leave at fourteen thirty."),
    ("It starts at 10:05.", "It starts at ten oh five."),
    ("Doors open at 10:00.", "Doors open at ten o'clock."),
    ("The flight lands at 18:00.", "The flight lands at eighteen hundred."),
    ("The show starts at 8pm sharp.", "The show starts at eight p m sharp."),
    ("Arsenal won 2-1 against Chelsea.", "Arsenal won two to one against Chelsea."),
    ("Bayern won the final 2:1.", "Bayern won the final two to one."),
    ("The ratio is 3:1.", "The ratio is three to one."),
    ("The vote was 52-48.", "The vote was fifty-two to forty-eight."),
    ("Expect 10-12 storms.", "Expect ten to twelve storms."),
]

MONEY = [
    ("It costs $5.", "It costs five dollars."),
    ("It costs $1.", "It costs one dollar."),
    ("The price is $5.99.", "The price is five dollars and ninety-nine cents."),
    ("A stamp is $0.50.", "A stamp is fifty cents."),
    ("The deal is worth £3m.", "The deal is worth three million pounds."),
    ("The firm raised $2.5bn.", "The firm raised two point five billion dollars."),
    ("It cost $3 million.", "It cost three million dollars."),
    ("Tickets cost €5.", "Tickets cost five euros."),
    ("Tickets cost 5 €.", "Tickets cost five euros."),
    ("A cup costs 5 cents.", "A cup costs five cents."),
    ("They paid US$5 for it.", "They paid five U S dollars for it."),
    ("A pint costs £4.50.", "A pint costs four pounds and fifty pence."),
    ("The fund holds $1.2 trillion.", "The fund holds one point two trillion dollars."),
    ("It cost $5-10 million.", "It cost five to ten million dollars."),
    ("The yen hit ¥150.", "The yen hit one hundred fifty yen."),
    ("Shares fell to 105p.", "Shares fell to one hundred five pence."),
]

PERCENT_AND_UNITS = [
    ("Inflation rose 3.5% in May.", "Inflation rose three point five percent in May."),
    ("Turnout was 60%.", "Turnout was sixty percent."),
    ("Growth of 2-3% is likely.", "Growth of two to three percent is likely."),
    ("Prices rose 5.5pc.", "Prices rose five point five percent."),
    ("He drove at 120 km/h.", "He drove at one hundred twenty kilometers per hour."),
    ("The limit is 70 mph.", "The limit is seventy miles per hour."),
    ("The route is 5 km long.", "The route is five kilometers long."),
    ("The run is 1 km.", "The run is one kilometer."),
    ("It is 26.2 mi long.", "It is twenty-six point two miles long."),
    ("The bag weighs 5 kg.", "The bag weighs five kilograms."),
    ("The baby weighed 7 lb.", "The baby weighed seven pounds."),
    ("It was 30°C in Rome.", "It was thirty degrees Celsius in Rome."),
    ("It was 86°F in Texas.", "It was eighty-six degrees Fahrenheit in Texas."),
    ("It fell to -5°C overnight.", "It fell to minus five degrees Celsius overnight."),
    (
        "Highs of 20-25°C are expected.",
        "Highs of twenty to twenty-five degrees Celsius are expected.",
    ),
    ("The flat is 50 m².", "The flat is fifty square meters."),
    ("Homes use 300 kWh a month.", "Homes use three hundred kilowatt hours a month."),
    ("The plant makes 500 MW.", "The plant makes five hundred megawatts."),
    ("The grid added 2 GW.", "The grid added two gigawatts."),
    ("He is 6 ft tall.", "He is six feet tall."),
    ("The TV is 55in wide.", "The T V is fifty-five inches wide."),
    ("He scored 5 in the first half.", "He scored five in the first half."),
    (
        "The phone has 128 GB of storage.",
        "The phone has one hundred twenty-eight gigabytes of storage.",
    ),
    ("The sprint was 100 m.", "The sprint was one hundred meters."),
]

ABBREVIATIONS = [
    ("Fruit, e.g. apples, is healthy.", "Fruit, for example apples, is healthy."),
    ("The capital, i.e. Paris, voted.", "The capital, that is Paris, voted."),
    ("They sell pens, paper, etc.", "They sell pens, paper, et cetera."),
    ("Pens, paper, etc. are cheap.", "Pens, paper, et cetera are cheap."),
    ("It was Arsenal vs. Chelsea.", "It was Arsenal versus Chelsea."),
    ("It was England vs France.", "It was England versus France."),
    ("Dr. Smith met Mr. Jones.", "Doctor Smith met Mister Jones."),
    ("Mrs. Brown and Ms. Green left.", "Missus Brown and Miz Green left."),
    ("Mr Johnson spoke first.", "Mister Johnson spoke first."),
    ("Prof. Adams gave a talk.", "Professor Adams gave a talk."),
    ("They prayed at St. Paul's.", "They prayed at Saint Paul's."),
    ("She lives on Baker St.", "She lives on Baker Street."),
    ("The PM lives at No 10 Downing Street.", "The P M lives at number ten Downing Street."),
    ("He wore shirt No. 5.", "He wore shirt number five."),
    ("The trip takes approx. 3 hours.", "The trip takes approximately three hours."),
    ("He works for Apple Inc.", "He works for Apple Incorporated."),
    ("Acme Ltd. and Smith & Co. merged.", "Acme Limited and Smith and Company merged."),
    ("Martin Luther King Jr. spoke.", "Martin Luther King Junior spoke."),
    ("Ken Griffey Sr. retired.", "Ken Griffey Senior retired."),
    ("The U.S. economy grew.", "The U S economy grew."),
    ("It happened in the U.S.", "It happened in the U S."),
    ("The U.K. left the EU.", "The U K left the E U."),
    ("He said no. Then he left.", "He said no. Then he left."),
]

ACRONYMS = [
    ("The FBI opened an inquiry.", "The F B I opened an inquiry."),
    ("The USA and the UK agreed.", "The U S A and the U K agreed."),
    ("The BBC reported it.", "The B B C reported it."),
    ("The CEO resigned.", "The C E O resigned."),
    ("Two CEOs resigned.", "Two C E O's resigned."),
    ("The FBI's director spoke.", "The F B I's director spoke."),
    ("NATO met in Brussels.", "Nato met in Brussels."),
    ("NASA launched a rocket.", "Nasa launched a rocket."),
    ("UNESCO listed the site.", "Unesco listed the site."),
    ("FIFA and OPEC met.", "Fifa and Opec met."),
    ("The AIDS crisis hit hard.", "The Aids crisis hit hard."),
    ("The COVID-19 pandemic spread.", "The Covid nineteen pandemic spread."),
    ("The G7 summit ended.", "The G seven summit ended."),
    ("Send a GIF.", "Send a Gif."),
    ("The FTSE 100 fell.", "The Footsie one hundred fell."),
    ("The BREAKING NEWS IS HERE.", "The breaking news is here."),
    ("The NYPD and the ACLU clashed.", "The N Y P D and the A C L U clashed."),
    ("AT&T and R&D costs rose.", "A T and T and R and D costs rose."),
]

SYMBOLS_AND_ADDRESSES = [
    ("Tom & Jerry are back.", "Tom and Jerry are back."),
    ("He said 2 + 2 = 4.", "He said two plus two equals four."),
    ("They were #1 in the charts.", "They were number one in the charts."),
    ("It trended as #climate.", "It trended as hashtag climate."),
    ("Follow @BBCNews for updates.", "Follow at BBCNews for updates."),
    ("Visit www.bbc.co.uk/news/x for more.", "Visit bbc dot co dot uk for more."),
    ("Read it at https://example.com/a/b.", "Read it at example dot com."),
    ("Check bbc.com today.", "Check bbc dot com today."),
    ("Write to press@example.com today.", "Write to press at example dot com today."),
    ("Mail j.doe@mail.example.org now.", "Mail j dot doe at mail dot example dot org now."),
    ("Cases rose by +3 overnight.", "Cases rose by plus three overnight."),
    ("It fell to −3 degrees.", "It fell to minus three degrees."),
    ("It is either/or.", "It is either slash or."),
    ("Write your name and/or address.", "Write your name and or address."),
    ("The shop is open 24/7.", "The shop is open twenty-four seven."),
]

COMPOUNDS_AND_FRACTIONS = [
    ("The 5-year-old boy won.", "The five-year-old boy won."),
    ("A 10-year plan was agreed.", "A ten-year plan was agreed."),
    ("Sales rose 3x this year.", "Sales rose three times this year."),
    ("They bought a 4x4 car.", "They bought a four by four car."),
    ("Add 1/2 a cup.", "Add one half a cup."),
    ("About 3/4 agreed.", "About three quarters agreed."),
    ("Only 2/3 voted.", "Only two thirds voted."),
    ("Add ½ a spoon.", "Add one half a spoon."),
    ("It took 3½ hours.", "It took three and a half hours."),
    ("It took 2 1/4 hours.", "It took two and a quarter hours."),
]

PLAIN = [
    ("Nothing here needs any change.", "Nothing here needs any change."),
    ("  Extra   spaces are   tidied. ", "Extra spaces are tidied."),
    ("I think I can, said the train.", "I think I can, said the train."),
    ("Müller sagte: Ja!", "Müller sagte: Ja!"),
]

GOLDEN = [
    *NUMBERS,
    *YEARS,
    *ORDINALS_AND_DATES,
    *REGNAL,
    *TIMES_AND_SCORES,
    *MONEY,
    *PERCENT_AND_UNITS,
    *ABBREVIATIONS,
    *ACRONYMS,
    *SYMBOLS_AND_ADDRESSES,
    *COMPOUNDS_AND_FRACTIONS,
    *PLAIN,
]


def test_golden_table_is_large_enough() -> None:
    assert len(GOLDEN) >= 100


@pytest.mark.parametrize(("written", "spoken"), GOLDEN)
def test_golden(written: str, spoken: str) -> None:
    assert normalize(written, "en") == spoken


@pytest.mark.parametrize("lang", ["en", "en-GB", "en_US"])
def test_regional_variants_use_english_steps(lang: str) -> None:
    assert normalize("It costs $5.", lang) == "It costs five dollars."


@pytest.mark.parametrize(("written", "spoken"), GOLDEN)
def test_normalizing_twice_changes_nothing_more(written: str, spoken: str) -> None:
    assert normalize(spoken, "en") == spoken


@given(st.text())
def test_never_raises(text: str) -> None:
    assert isinstance(normalize(text, "en"), str)


@given(st.text(alphabet="0123456789,.:-/%$£€°#+ xkmbnstrdh", max_size=40))
def test_never_raises_on_number_soup(text: str) -> None:
    assert isinstance(normalize(text, "en"), str)


_EXPANDED = {
    key.lower()
    for key in [*en_data.BARE_ABBREVIATIONS, *en_data.MONTH_ABBREVIATIONS, *en_data.NAME_TITLES]
}
_PLAIN_WORD = st.from_regex(r"[a-z]{1,12}", fullmatch=True).filter(lambda w: w not in _EXPANDED)


@given(st.lists(_PLAIN_WORD, min_size=1, max_size=12), st.booleans())
def test_plain_words_pass_unchanged(words: list[str], capitalize: bool) -> None:
    text = " ".join(words)
    if capitalize:
        text = text.capitalize() + "."
    assert normalize(text, "en") == text


@given(st.text(alphabet=st.characters(codec="ascii")))
def test_every_digit_is_read_out(text: str) -> None:
    assert not re.search(r"[0-9]", normalize(text, "en"))

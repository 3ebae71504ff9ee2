"""Actor resolution: each case is a short text, a date, a phrase in it, and the code(s) that an
analyst would give that phrase."""

from __future__ import annotations

import datetime as dt

import pytest

from newsledger import nlp
from newsledger.actors import Resolver, default_knowledge


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(default_knowledge())


def codes_of(resolver: Resolver, text: str, phrase: str, day: str | None = None,
             occurrence: int = 0) -> set[str]:
    """The codes of the actor mentions of ``phrase`` (its ``occurrence``-th appearance)."""
    doc = next(nlp.parse([text]))
    found = resolver.resolve(doc, dt.date.fromisoformat(day) if day else None)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    end = start + len(phrase)
    return {m.actor.code for m in found.mentions()
            if m.role == "actor" and start <= doc[m.head].idx < end}


CASES = [
    # countries, by name and alias
    ("Russia launched dozens of drones overnight.", "Russia", None, {"RUS"}),
    ("The United States imposed new sanctions on Tuesday.", "United States", None, {"USA"}),
    ("The U.S. said it would send more air defence systems.", "U.S.", None, {"USA"}),
    ("Britain recalled its ambassador.", "Britain", None, {"GBR"}),
    ("The DPRK fired a missile into the sea.", "DPRK", None, {"PRK"}),
    ("Talks between Myanmar and Thailand resumed.", "Thailand", None, {"THA"}),
    ("Côte d'Ivoire closed its border.", "Côte d'Ivoire", None, {"CIV"}),
    # adjectives and possessives composed with agents
    ("A senior North Korean military official criticized the United States.",
     "official", None, {"PRKMIL"}),
    ("South Korea's foreign ministry summoned the envoy.", "ministry", None, {"KORGOV"}),
    ("Seoul's foreign ministry issued a statement.", "ministry", None, {"KORGOV"}),
    ("Russian troops advanced near the town.", "troops", None, {"RUSMIL"}),
    ("Ukrainian forces shot down the drones.", "forces", None, {"UKRMIL"}),
    ("Chinese police detained two journalists.", "police", None, {"CHNCOP"}),
    ("Israeli soldiers raided the camp.", "soldiers", None, {"ISRMIL"}),
    ("Kenyan protesters blocked a highway.", "protesters", None, {"KENCVL"}),
    ("Syrian rebels shelled the city.", "rebels", None, {"SYRREB"}),
    ("The Japanese government protested.", "government", None, {"JPNGOV"}),
    ("French prosecutors opened an inquiry.", "prosecutors", None, {"FRAJUD"}),
    ("US officials said the talks failed.", "officials", None, {"USAGOV"}),
    ("Palestinian militants fired rockets.", "militants", None, {"PSEREB"}),
    ("The government of Japan lodged a protest.", "government", None, {"JPNGOV"}),
    ("Iran's Revolutionary Guards seized a tanker.", "Revolutionary Guards", None, {"IRNMIL"}),
    # prepositional countries and coordination
    ("The plan was condemned by senior officials from South Korea, the U.S., and Japan.",
     "officials", None, {"KORGOV", "USAGOV", "JPNGOV"}),
    ("Lawmakers in Kenya and Uganda rejected the tax.", "Lawmakers", None, {"KENLEG", "UGALEG"}),
    ("Peruvian and Chilean diplomats met in Lima.", "diplomats", None, {"PERGOV", "CHLGOV"}),
    ("The move raised concerns in Seoul and Washington.", "Seoul", None, {"KORGOV"}),
    ("The move raised concerns in Seoul and Washington.", "Washington", None, {"USAGOV"}),
    ("Both Russia and North Korea have denied such transfers.", "North Korea", None, {"PRK"}),
    # capitals and seats of power
    ("Pyongyang has denied the troop deployment.", "Pyongyang", None, {"PRKGOV"}),
    ("Washington warned Tehran against retaliation.", "Tehran", None, {"IRNGOV"}),
    ("The Kremlin rejected the proposal.", "Kremlin", None, {"RUSGOV"}),
    ("The White House announced a new aid package.", "White House", None, {"USAGOV"}),
    ("The Pentagon said Ukrainian forces could use the weapons.", "Pentagon", None, {"USAMIL"}),
    ("Downing Street declined to comment.", "Downing Street", None, {"GBRGOV"}),
    ("Kyiv asked for more artillery.", "Kyiv", None, {"UKRGOV"}),
    ("Beijing urged restraint.", "Beijing", None, {"CHNGOV"}),
    # organisations, blocs, armed groups, media
    ("NATO agreed to expand air patrols.", "NATO", None, {"IGONAT"}),
    ("The UN Security Council met on Friday.", "UN Security Council", None, {"IGOUNOSCR"}),
    ("The European Union extended its sanctions.", "European Union", None, {"IGOEU"}),
    ("The IAEA said inspectors were denied access.", "IAEA", None, {"IGOIAE"}),
    ("Kim criticised the United States and the West.", "West", None, {"WST"}),
    ("Hamas released two hostages.", "Hamas", None, {"PSEREBHMS"}),
    ("Hezbollah fired rockets at the border.", "Hezbollah", None, {"LBNREBHEZ"}),
    ("KCNA said the test was a success.", "KCNA", None, {"PRKMED"}),
    ("Yonhap reported the launch.", "Yonhap", None, {"KORMED"}),
    ("Reports from the Washington Post indicated that Russia received shells.",
     "Washington Post", None, {"USAMED"}),
    ("Reuters could not verify the claim.", "Reuters", None, {"GBRMED"}),
    ("ASEAN leaders met in Jakarta.", "leaders", None, {"IGOSEAASN"}),
    ("Hundreds of UN troops withdrew from the area.", "troops", None, {"IGOUNOMIL"}),
    # people with dated roles
    ("Kim Jong Un inspected a missile factory.", "Kim Jong Un", "2024-11-18", {"PRKGOV"}),
    ("Vladimir Putin met the governor.", "Vladimir Putin", "2010-03-01", {"RUSGOV"}),
    ("Joe Biden spoke at the summit.", "Joe Biden", "2012-05-01", {"USAGOV"}),
    ("Joe Biden spoke at the summit.", "Joe Biden", "2025-06-01", {"USAELI"}),
    ("Barack Obama attended the ceremony.", "Barack Obama", "2015-06-09", {"USAGOV"}),
    ("Volodymyr Zelensky visited the front.", "Volodymyr Zelensky", "2023-05-01", {"UKRGOV"}),
    ("Antonio Guterres called for a ceasefire.", "Antonio Guterres", "2020-04-01", {"IGOUNO"}),
    ("Bashar al-Assad appeared in Moscow.", "Bashar al-Assad", "2025-03-01", {"SYRELI"}),
    ("Russian President Vladimir Putin signed the decree.", "Putin", "2024-06-20", {"RUSGOV"}),
    # unknown names take the code of their title or appositive
    ("Norwegian Foreign Minister Kari Nordvik said talks would resume.", "Kari Nordvik", None,
     {"NORGOV"}),
    ("Peruvian President Ana Quispe praised Chile.", "Ana Quispe", None, {"PERGOV"}),
    ("A senior North Korean military official criticized Washington. According to state media "
     "KCNA, the official, Pak Jong Chon, condemned the aid.", "Pak Jong Chon", None, {"PRKMIL"}),
    ("A senior North Korean military official criticized Washington. According to state media "
     "KCNA, the official, Pak Jong Chon, condemned the aid.", "the official", None, {"PRKMIL"}),
    ("Malik Haddad, a Lebanese army commander, said the border was calm.", "Malik Haddad", None,
     {"LBNMIL"}),
    # coordination of named people
    ("Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a pact.",
     "Kim Jong Un", "2024-06-19", {"PRKGOV"}),
    ("US and British activists staged a protest.", "activists", None, {"USACVL", "GBRCVL"}),
    # within-article reference
    ("North Korean leader Kim Jong Un criticised the West. He said the war could spread.",
     "He", "2024-11-18", {"PRKGOV"}),
    ("Kim Jong Un spoke on Monday. Kim said the army was ready.", "Kim said", "2024-11-18",
     {"PRKGOV"}),
    ("While Kim Jong Un did not address the reports, he emphasised his country's commitment.",
     "country", "2024-11-18", {"PRK"}),
    ("North Korean troops fought alongside Russian forces. The two nations have deepened ties.",
     "The two nations", None, {"PRK", "RUS"}),
    ("The deal angered Washington and Seoul. Both countries accused Moscow of lying.",
     "Both countries", None, {"USA", "KOR"}),
    ("Japan's foreign ministry summoned the ambassador. The ministry said it was a violation.",
     "The ministry", None, {"JPNGOV"}),
    ("Chile praised the move. It said talks would continue.", "It said", None, {"CHL"}),
    # a possessive pronoun gives its country to the agent it owns
    ("Russia said its troops had reached the river.", "troops", None, {"RUSMIL"}),
    ("NATO said its forces would stay.", "forces", None, {"IGONATMIL"}),
    ("Officials from Chile and Peru met. They agreed to meet again.", "They", None,
     {"CHLGOV", "PERGOV"}),
    ("The stance of South Korea, which has resisted sending weapons, may change.", "which", None,
     {"KOR"}),
    ("A senior North Korean military official criticized Washington. The official, Pak Jong "
     "Chon, spoke to KCNA. Pak Jong Chon emphasized that Russia had the right to respond.",
     "Pak Jong Chon emphasized", None, {"PRKMIL"}),
    ("North Korean leader Kim Jong Un spoke. In remarks reported by state media, he criticised "
     "the West.", "state media", "2024-11-18", {"PRKMED"}),
    # a surname alone, held by one person on the article's date
    ("Putin said the West was to blame.", "Putin", "2024-06-20", {"RUSGOV"}),
    ("Obama is scheduled to attend a summit.", "Obama", "2015-06-09", {"USAGOV"}),
    # demonyms used as nouns
    ("Palestinians protested outside the embassy.", "Palestinians", None, {"PSE"}),
    ("Americans voted on Tuesday.", "Americans", None, {"USA"}),
]


@pytest.mark.parametrize("text, phrase, day, expected", CASES,
                         ids=[f"{i:02}-{c[1]}" for i, c in enumerate(CASES)])
def test_mention_resolves_to_code(resolver, text, phrase, day, expected):
    assert codes_of(resolver, text, phrase, day) == expected


@pytest.mark.parametrize("text, phrase", [
    ("The vase was made of fine china.", "china"),
    ("We ate turkey and rice.", "turkey"),
    ("Who said that?", "Who"),
    ("Settlers expanded in the West Bank.", "West Bank"),
    ("The officer walked west along the road.", "west"),
])
def test_common_words_are_not_actors(resolver, text, phrase):
    codes = codes_of(resolver, text, phrase)
    assert not codes & {"CHN", "TUR", "IGOWHO", "WST"}


def test_longest_name_wins(resolver):
    assert codes_of(resolver, "Western Sahara held talks.", "Western Sahara") == {"ESH"}
    assert codes_of(resolver, "The Washington Post reported it.", "Washington Post") == {"USAMED"}


def test_each_mention_keeps_text_span_and_rule(resolver):
    text = "North Korean leader Kim Jong Un criticised the United States."
    doc = next(nlp.parse([text]))
    [kim] = [m for m in resolver.resolve(doc, dt.date(2024, 11, 18)).mentions()
             if m.actor.code == "PRKGOV"]
    assert text[kim.start:kim.end] == kim.text == "North Korean leader Kim Jong Un"
    assert kim.rule.startswith("person:Kim Jong Un")
    assert kim.actor.name == "Kim Jong Un" and kim.actor.country == "PRK"


def test_undated_article_uses_the_latest_role(resolver):
    assert codes_of(resolver, "Joe Biden spoke at the summit.", "Joe Biden") == {"USAELI"}

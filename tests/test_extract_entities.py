"""Entity rules: gazetteers, people patterns, organisations, acronyms and the classic traps."""
import pytest
from extract_helpers import entity, names, run


def test_countries_from_names_short_forms_and_adjectives():
    ex = run("The U.S. and Britain backed the plan. Belgian and South Korean officials attended.")
    assert {"United States", "United Kingdom", "Belgium", "South Korea"} <= names(ex, "Country")
    assert entity(ex, "Country", "United States").iso3 == "USA"


def test_person_with_title_before_gets_title_and_affiliation_from_adjective():
    ex = run("Belgian Defence Minister Theo Francken arrived in New Delhi.")
    p = entity(ex, "Person", "Theo Francken")
    assert any("Defence Minister" in t for t in p.titles)
    assert "Country:BEL" in p.affiliations


def test_apposition_gives_the_affiliation():
    ex = run("Kaja Kallas, the EU's High Representative, met officials on Monday.")
    p = entity(ex, "Person", "Kaja Kallas")
    assert "Organisation:European Union" in p.affiliations


def test_possessive_country_before_title():
    ex = run("Japan's Defence Minister Minoru Kihara said the drills would continue.")
    p = entity(ex, "Person", "Minoru Kihara")
    assert "Country:JPN" in p.affiliations


def test_ranks_and_honorifics_are_not_part_of_the_name():
    ex = run("Lt Gen Rahul Singh and Ms. Anita Rao spoke. Adm. Dinesh Tripathi later joined them.")
    people = names(ex, "Person")
    assert {"Rahul Singh", "Anita Rao", "Dinesh Tripathi"} <= people
    assert not any(p.startswith(("Lt", "Ms", "Adm")) for p in people)


def test_surname_resolves_to_the_full_name():
    ex = run("Defence Minister Rajnath Singh met the delegation. Singh said ties were strong.")
    assert names(ex, "Person") == {"Rajnath Singh"}
    assert "Singh" in entity(ex, "Person", "Rajnath Singh").aliases


def test_speaker_pattern_finds_untitled_people():
    ex = run("John Kirby said the exercise would go ahead.")
    assert "John Kirby" in names(ex, "Person")


def test_jordan_the_person_is_not_the_country():
    ex = run("Pentagon spokesperson Jordan Smith said the sale was approved.")
    assert "Jordan" not in names(ex, "Country")
    assert "Jordan Smith" in names(ex, "Person")


def test_jordan_the_country_still_is_one():
    ex = run("Jordan and Egypt signed a border security pact.")
    assert {"Jordan", "Egypt"} <= names(ex, "Country")


def test_chad_the_first_name_is_not_the_country():
    ex = run("Navy Secretary Chad Miller said the ships were ready.")
    assert "Chad" not in names(ex, "Country")


def test_georgia_the_us_state_is_not_the_country():
    ex = run("The soldiers trained at Fort Stewart, Georgia, before deploying.")
    assert "Georgia" not in names(ex, "Country")
    ex = run("Georgia and Azerbaijan discussed pipeline security.")
    assert "Georgia" in names(ex, "Country")


def test_may_the_month_is_not_a_person():
    ex = run("Former Prime Minister Theresa May spoke. The talks resumed in May and again on May 5.")
    may = entity(ex, "Person", "Theresa May")
    assert len([m for m in ex.mentions if m.entity == may.id]) == 1


def test_capital_as_government_and_as_place():
    ex = run("Beijing said the patrol was illegal. The talks were held in Beijing.")
    assert "China" in names(ex, "Country")
    assert "Beijing" in names(ex, "Place")


def test_acronym_defined_in_text_becomes_an_alias():
    ex = run("The Defence Research and Development Organisation (DRDO) tested a missile. DRDO said it worked.")
    org = entity(ex, "Organisation", "DRDO")
    assert org.name.startswith("Defence Research")
    assert len([m for m in ex.mentions if m.entity == org.id]) >= 2


def test_new_acronym_owned_by_a_navy_inherits_kind_and_country():
    ex = run("Officers joined the Indian Navy's Maritime Warfare Centre (MWC) in Kochi.")
    org = entity(ex, "Organisation", "MWC")
    assert org.org_kind == "military" and org.country == "IND"


def test_national_services_and_ministries():
    ex = run("The Indian Navy and Japan's Defence Ministry held staff talks.")
    navy = entity(ex, "Organisation", "Indian Navy")
    assert navy.org_kind == "military" and navy.country == "IND"
    ministry = [e for e in ex.entities.values() if e.kind == "Organisation" and e.country == "JPN"]
    assert ministry and ministry[0].org_kind == "government"


def test_news_agencies_are_left_out():
    ex = run("NEW DELHI, Mar 3 (PTI) India and France held talks, Reuters reported.")
    orgs = names(ex, "Organisation")
    assert not orgs & {"Press Trust of India", "Reuters"}


def test_weapon_systems_and_ships():
    ex = run("India will buy 26 Rafale-M jets for INS Vikrant and more BrahMos missiles.")
    systems = names(ex, "WeaponSystem")
    assert any("Rafale" in s for s in systems) and "INS Vikrant" in systems
    assert any("BrahMos" in s for s in systems)


def test_diacritics_and_other_scripts_do_not_break_anything():
    ex = run("Théo Francken, Belgium's Defence Minister, met Володимир Зеленський in Kyiv.")
    assert "Belgium" in names(ex, "Country")
    for m in ex.mentions:
        assert ex.text[m.start:m.end] == m.text


def test_initials_and_abbreviated_ranks_do_not_end_a_sentence():
    from kg.extract.pipeline import build_nlp, sent_spans
    doc = build_nlp()("Adm. Samuel J. Paparo hosted Brig. Gen. R. K. Mehta in Honolulu. Both spoke to reporters.")
    assert [s.text for s in sent_spans(doc)] == ["Adm. Samuel J. Paparo hosted Brig. Gen. R. K. Mehta in Honolulu.",
                                                 "Both spoke to reporters."]


@pytest.mark.parametrize("text, sentences", [
    ("“We will deliver,” he said. “On time.” The talks ended.",
     ["“We will deliver,” he said.", "“On time.”", "The talks ended."]),
    ('"We will deliver," he said. "On time." The talks ended. \'Soon.\' Then \'no\'.',
     ['"We will deliver," he said.', '"On time."', "The talks ended.", "'Soon.'", "Then 'no'."]),
    ("HEADLINE WITHOUT A STOP\nThe ministry said so (in Delhi.) Then it left!? 2026 was busy.",
     ["HEADLINE WITHOUT A STOP", "The ministry said so (in Delhi.)", "Then it left!?", "2026 was busy."]),
    ("It cost $3.5 bn. vs. last year, said Lt. Col. Ray.\n\n‘Quoted.’ ok then.",
     ["It cost $3.5 bn. vs. last year, said Lt. Col. Ray.", "‘Quoted.’ ok then."]),
])
def test_sentences_end_at_stops_quotes_and_line_breaks(text, sentences):
    from kg.extract.pipeline import build_nlp, sent_spans
    assert [s.text.strip() for s in sent_spans(build_nlp()(text))] == sentences


def test_capital_listed_after_a_place_use_or_called_a_capital_is_a_place():
    ex = run("Coast guard officers trained in Jakarta and Canberra this month.")
    assert {"Jakarta", "Canberra"} <= names(ex, "Place")
    ex = run("Envoys gathered in the Vietnamese capital Hanoi. Others flew to the capital city, Bangkok.")
    assert {"Hanoi", "Bangkok"} <= names(ex, "Place")
    ex = run("Canberra and Jakarta agreed to expand patrols.")
    assert not {"Canberra", "Jakarta"} & names(ex, "Place")


def test_ship_classes_and_types_not_in_the_gazetteer():
    ex = run("The navy will add three Nansen-class frigates and a Type 082II minehunter by 2030.")
    systems = names(ex, "WeaponSystem")
    assert {"Nansen-class frigate", "Type 082II minehunter"} <= systems
    assert "Nansen-class" in entity(ex, "WeaponSystem", "Nansen-class frigate").aliases
    assert not names(run("World-class shipyards and a Type 2 error were cited."), "WeaponSystem")


def test_a_ship_named_after_its_type_noun():
    ex = run("The Italian aircraft carrier Cavour and the frigate Bergamini sailed to Darwin.")
    assert {"Cavour", "Bergamini"} <= names(ex, "WeaponSystem")
    assert not names(run("The carrier India was building is late."), "WeaponSystem")


def test_hyphenated_name_particles_stay_in_the_name():
    ex = run("Sudanese army chief Abdel Fattah al-Burhan met Libyan commander Khalifa el-Haftar in Cairo.")
    assert {"Abdel Fattah al-Burhan", "Khalifa el-Haftar"} <= names(ex, "Person")


def test_an_officeholder_full_name_alias_finds_the_officeholder():
    ex = run("Egyptian President Abdel Fattah al-Sisi received the Greek prime minister in Cairo.")
    assert "Abdel Fattah el-Sisi" in names(ex, "Person")


def test_named_venues_bases_and_towns_placed_by_what_follows():
    ex = run("The troops returned to Ranau Barracks. Officials met at the Lungi base and later flew "
             "to Pohang, South Korea, for talks at Sejong Palace.")
    assert {"Ranau Barracks", "Lungi base", "Sejong Palace"} <= names(ex, "Place")
    ex = run("Officials gathered in Bardufoss, Norway, on Monday.")
    assert entity(ex, "Place", "Bardufoss").country == "NOR"
    assert not names(run("Troops left the Russian base near the border."), "Place")


def test_apposition_with_a_lower_case_title_and_a_hyphenated_given_name():
    ex = run("Officials met Choi Min-ho, deputy minister of South Korea's Defense Acquisition Program Administration, "
             "and Pavel Dvorak, a senior adviser to the Czech government, in Prague.")
    assert {"Choi Min-ho"} <= names(ex, "Person")
    assert "deputy minister" in entity(ex, "Person", "Choi Min-ho").titles


def test_seas_and_straits_no_gazetteer_lists():
    ex = run("Patrol boats crossed the Bashi Channel and the Strait of Otranto before entering the Sulu Sea.")
    assert {"Bashi Channel", "Strait of Otranto", "Sulu Sea"} <= names(ex, "Region")


def test_a_system_named_with_its_generic_noun_is_also_known_without_it():
    ex = run("India test-fired the Akash missile from Chandipur on Monday.")
    assert "Akash" in entity(ex, "WeaponSystem", "Akash missile").aliases


def test_military_units_and_commands_by_their_shape():
    ex = run("Soldiers of the 12th Mechanised Infantry Regiment trained with the Eastern Naval Command on Monday.")
    assert {"12th Mechanised Infantry Regiment", "Eastern Naval Command"} <= names(ex, "Organisation")
    assert "Mechanised Infantry Regiment" in entity(ex, "Organisation", "12th Mechanised Infantry Regiment").aliases


def test_a_known_class_keeps_its_one_name_however_written():
    ex = run("Two Anzac-class ships escorted an Anzac class frigate and three Kilo-class boats.")
    assert {"Anzac-class frigate", "Kilo-class submarine"} == names(ex, "WeaponSystem")


class TestNameShapes:
    """Names the title grammar and name shapes used to miss: portfolio words after a 'for' title,
    the one-word name an office holder is known by, and three-part names with the family name first."""

    def test_portfolio_words_after_a_for_title_belong_to_the_title(self):
        ex = run("Minister of State for Defence Procurement Maria Eagle toured the shipyard on Monday.")
        p = entity(ex, "Person", "Maria Eagle")
        assert any(t.endswith("for Defence Procurement") for t in p.titles)
        assert "Procurement Maria Eagle" not in names(ex, "Person")

    def test_a_name_right_after_a_for_title_is_still_whole(self):
        ex = run("Secretary of State for Defence Grant Shapps visited the troops in Estonia.")
        assert "Grant Shapps" in names(ex, "Person")

    def test_an_office_holder_is_known_by_his_one_word_name(self):
        ex = run("Brazilian President Luiz Inacio Lula da Silva opened the shipyard. Lula said the submarine "
                 "programme would go on.")
        people = [e for e in ex.entities.values() if e.kind == "Person"]
        assert len(people) == 1
        assert [m.text for m in ex.mentions if m.entity == people[0].id][-1] == "Lula"

    def test_a_one_word_name_alone_makes_no_person(self):
        ex = run("Lula said the submarine programme would go on.")
        assert not names(ex, "Person")

    def test_three_part_name_with_the_family_name_first(self):
        ex = run("Ri Pyong Chol, a senior military official, inspected the launch site on Monday.")
        assert "Ri Pyong Chol" in names(ex, "Person")

    def test_a_family_name_before_two_long_words_is_no_person(self):
        ex = run("Park Avenue Residences opened a new tower in the city on Monday.")
        assert not names(ex, "Person")

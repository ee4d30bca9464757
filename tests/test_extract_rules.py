"""Relation rules on fresh sentences (written for these tests, not taken from any article set):
each test shows that a rule follows the language of defence news rather than one article."""
from extract_helpers import actor_names, facts, names, run


def transfer(ex, system: str):
    found = [f for f in facts(ex, "ArmsTransfer") if f.systems and ex.entities[f.systems[0]].name == system]
    assert found, f"no transfer of {system}: {[f.label for f in facts(ex, 'ArmsTransfer')]}"
    return found[0]


# -- arms transfers ---------------------------------------------------------------------------

def test_supplier_verb_subject_supplies_and_to_names_the_recipient():
    ex = run("Germany will supply two more IRIS-T batteries to Slovakia next year, the ministry said.")
    f = transfer(ex, "IRIS-T")
    assert actor_names(ex, f.supplier) == {"Germany"}
    assert actor_names(ex, f.recipient) == {"Slovakia"}


def test_recipient_verb_subject_receives_and_from_names_the_supplier():
    ex = run("Indonesia ordered 42 Rafale jets from France in a deal signed in Jakarta.")
    f = transfer(ex, "Rafale")
    assert actor_names(ex, f.supplier) == {"France"}
    assert actor_names(ex, f.recipient) == {"Indonesia"}
    assert f.quantity == 42 and f.status == "ordered"


def test_deal_with_a_state_to_buy_makes_that_state_the_supplier():
    ex = run("Egypt signed an agreement with Italy on Monday to buy two FREMM frigates for its navy.")
    f = transfer(ex, "FREMM")
    assert actor_names(ex, f.supplier) == {"Italy"}
    assert actor_names(ex, f.recipient) == {"Egypt"}
    assert f.status == "ordered"


def test_took_delivery_is_a_receiving_verb():
    ex = run("Greece took delivery of six Rafale fighters from France on Wednesday.")
    f = transfer(ex, "Rafale")
    assert actor_names(ex, f.recipient) == {"Greece"}
    assert actor_names(ex, f.supplier) == {"France"}
    assert f.status == "delivered"


def test_giving_verb_with_the_recipient_as_object():
    ex = run("Washington has offered Vietnam used F-16 fighters, officials in Hanoi said.")
    f = transfer(ex, "F-16")
    assert actor_names(ex, f.recipient) == {"Vietnam"}
    assert "United States" in actor_names(ex, f.supplier)


def test_systems_listed_after_including_share_the_cue():
    ex = run("Poland has bought billions of dollars of American-made hardware, including Patriot batteries, "
             "HIMARS launchers and Apache helicopters.")
    for system in ("Patriot", "HIMARS", "Apache"):
        f = transfer(ex, system)
        assert actor_names(ex, f.recipient) == {"Poland"}
        assert actor_names(ex, f.supplier) == {"United States"}


def test_awaiting_delivery_puts_the_subject_on_the_receiving_side():
    ex = run("Greece is still awaiting delivery of the Rafale jets France agreed to sell in 2021.")
    f = transfer(ex, "Rafale")
    assert actor_names(ex, f.recipient) == {"Greece"}
    assert actor_names(ex, f.supplier) == {"France"}


def test_orders_from_a_state_make_that_state_the_buyer():
    ex = run("Hanwha's export book grew after orders from Norway for K9 howitzers, South Korea said.")
    f = transfer(ex, "K9 Thunder")
    assert actor_names(ex, f.recipient) == {"Norway"}
    assert actor_names(ex, f.supplier) == {"South Korea"}


def test_relative_passive_clause_names_each_buyer():
    ex = run("Israel builds the Heron. The Heron, which has already been bought by Morocco and Azerbaijan, "
             "is on show in Paris.")
    found = [f for f in facts(ex, "ArmsTransfer")]
    assert {frozenset(actor_names(ex, f.recipient)) for f in found} == {frozenset({"Morocco"}), frozenset({"Azerbaijan"})}
    assert all(actor_names(ex, f.supplier) == {"Israel"} for f in found)


def test_a_later_made_by_is_not_the_passive_agent_of_the_order():
    ex = run("The Gripen, which was ordered by Thailand, is made by Sweden's Saab.")
    f = transfer(ex, "Gripen")
    assert actor_names(ex, f.recipient) == {"Thailand"}


def test_upgrade_of_a_fleet_is_not_a_transfer():
    ex = run("Vietnam and Russia discussed delivery of spare parts and the upgrade of Vietnam's Su-30MK2 fleet.")
    assert not [f for f in facts(ex, "ArmsTransfer") if f.systems]


def test_order_and_later_delivery_are_two_records():
    ex = run("Romania ordered 54 Abrams tanks from the United States in 2023. "
             "The first 12 Abrams tanks were delivered to Romania on Friday.")
    statuses = sorted(f.status for f in facts(ex, "ArmsTransfer"))
    assert statuses == ["delivered", "ordered"]


def test_described_equipment_needs_both_sides():
    ex = run("Japan will provide patrol boats to Sri Lanka under a grant, the embassy said.")
    f = facts(ex, "ArmsTransfer")
    assert f and actor_names(ex, f[0].supplier) == {"Japan"} and actor_names(ex, f[0].recipient) == {"Sri Lanka"}
    ex = run("The navy dispatched ships and aircraft to monitor the situation.")
    assert not facts(ex, "ArmsTransfer")


# -- people and organisations ------------------------------------------------------------------

def test_ambassador_to_a_country_before_the_name():
    ex = run("The note was handed over by Brazil's Ambassador to Kenya Carla Mendes Duarte on Friday.")
    p = [e for e in ex.entities.values() if e.kind == "Person"]
    assert [x.name for x in p] == ["Carla Mendes Duarte"]
    ex = run("Germany's Ambassador to Chile, Ingrid Maria Wendt, said the talks went well.")
    assert "Ingrid Maria Wendt" in {e.name for e in ex.entities.values() if e.kind == "Person"}


def test_country_land_forces_is_a_military_body():
    ex = run("Troops of the Kuwaiti Land Forces trained with French marines.")
    orgs = {e.name: e for e in ex.entities.values() if e.kind == "Organisation"}
    assert any(n.endswith("Land Forces") and o.org_kind == "military" and o.country == "KWT" for n, o in orgs.items())


def test_ministry_keeps_the_written_form_as_alias():
    ex = run("Taiwan's Ministry of National Defense said it tracked 20 aircraft.")
    org = next(e for e in ex.entities.values() if e.kind == "Organisation")
    assert "Ministry of National Defense" in org.aliases | {org.name}


# -- affiliations ------------------------------------------------------------------------------

def test_untitled_official_defaults_to_the_dateline_country():
    ex = run("NAIROBI, Jan 27 (Reuters) - Defence Cabinet Secretary Wanjiru Odhiambo said on Tuesday "
             "that the troops would stay.")
    p = next(e for e in ex.entities.values() if e.kind == "Person")
    assert p.affiliations == ["Country:KEN"]


def test_company_executive_does_not_default_to_the_dateline_country():
    ex = run("NAIROBI, Jan 27 (Reuters) - Chief Executive Tomas Lindqvist said on Tuesday the plant would open.")
    p = next(e for e in ex.entities.values() if e.kind == "Person")
    assert p.affiliations == []


def test_two_place_dateline_gives_no_default():
    ex = run("SEOUL/TOKYO, Jan 27 (Reuters) - Defence Minister Ahn Min-jae said the drills were over.")
    p = next(e for e in ex.entities.values() if e.kind == "Person")
    assert p.affiliations == []


def test_official_of_an_eu_body_represents_the_union():
    ex = run("The European Commission's Commissioner Ingrid Vassberg met Canadian officials.")
    p = next(e for e in ex.entities.values() if e.kind == "Person")
    assert "Organisation:European Union" in p.affiliations


def test_unnamed_buyer_is_the_dateline_state():
    ex = run("LIMA, Jan 27 (Reuters) - The ageing Su-25 jets, acquired from Belarus in the 1990s, will be retired. "
             "Peru has not named a replacement.")
    f = transfer(ex, "Su-25")
    assert actor_names(ex, f.supplier) == {"Belarus"} and actor_names(ex, f.recipient) == {"Peru"}


# -- agreements --------------------------------------------------------------------------------

def agreements(ex):
    return facts(ex, "Agreement")


def test_anaphoric_mentions_join_the_first_agreement():
    ex = run("Chile and Peru signed a maritime security agreement on Monday. The agreement was signed by the two "
             "defence ministers in Lima. Officials said the pact would take effect in March.")
    found = agreements(ex)
    assert len(found) == 1 and actor_names(ex, found[0].participants) == {"Chile", "Peru"}
    assert found[0].status == "signed"


def test_overlapping_kind_words_make_one_agreement():
    ex = run("Ghana and Togo signed a memorandum of understanding on border security on Friday.")
    assert len(agreements(ex)) == 1


def test_named_agreement_right_after_a_generic_one_names_it():
    ex = run("Kenya and Ethiopia signed a defence pact on Monday. The Joint Border Security Agreement was signed "
             "by the two defence ministers.")
    found = agreements(ex)
    assert [f.name for f in found] == ["Joint Border Security Agreement"]


def test_similar_agreement_is_a_different_one_and_parties_stay_in_their_clause():
    ex = run("Greece signed a defence cooperation agreement with Cyprus on Monday, while Spain has a similar "
             "agreement with Portugal.")
    found = agreements(ex)
    assert actor_names(ex, found[0].participants) == {"Greece", "Cyprus"}


def test_an_organisation_used_as_a_modifier_is_not_a_party():
    ex = run("Denmark signed a security agreement with Norway, a key NATO ally, on Tuesday.")
    assert actor_names(ex, agreements(ex)[0].participants) == {"Denmark", "Norway"}


def test_signed_arms_contract_with_a_company_is_an_agreement_with_that_company():
    ex = run("Brazil signed a contract with Saab on Monday to buy four more Gripen jets.")
    found = agreements(ex)
    assert found and {"Brazil", "Saab"} <= actor_names(ex, found[0].participants)


# -- events ------------------------------------------------------------------------------------

def events(ex, kind=None):
    return [f for f in ex.facts if f.kind in ("Meeting", "Visit", "Exercise", "Event") and (kind is None or f.kind == kind)]


def test_talks_during_a_visit_are_a_meeting_and_a_visit():
    ex = run("Australian Prime Minister Tom Reid travelled to Jakarta on a state visit on Monday and held talks "
             "with Indonesian President Arif Santoso.")
    assert len(events(ex, "Visit")) == 1 and len(events(ex, "Meeting")) == 1


def test_one_minister_meeting_two_counterparts_is_two_meetings():
    ex = run("Australian Defence Minister Tom Reid met Japanese Defence Minister Ken Ono on Monday. "
             "Reid also held talks with Philippine Defence Secretary Ana Cruz on Monday.")
    meetings = events(ex, "Meeting")
    assert len(meetings) == 2


def test_cue_words_used_otherwise_are_not_events():
    assert not events(run("Canada and Germany must meet the NATO target of two percent, officials said."))
    assert not events(run("India struck a deal with France on Monday for more jets."), "Event")
    assert not events(run("The treaty obliges Belarus to help if Russia is attacked by a third country."), "Event")


def test_a_planned_exercise_is_not_an_exercise():
    ex = run("Japan and India agreed to hold joint military exercises every year.")
    assert not events(ex, "Exercise")
    ex = run("Japan and India began joint military exercises off Goa on Monday.")
    assert events(ex, "Exercise")


def test_cue_words_read_with_their_neighbours_on_both_sides():
    assert not events(run("The deal that Peru has struck with Korea covers 20 tanks."), "Event")
    assert not events(run("The resolution, a move welcomed by Kenya and Uganda, passed on Friday."), "Visit")


def test_exercise_under_a_future_verb_is_not_held():
    ex = run("Greece and Egypt will deepen naval ties, hold joint exercises and share intelligence.")
    assert not events(ex, "Exercise")


# -- figures -----------------------------------------------------------------------------------

def figures(ex):
    return [(f.value, f.unit) for f in facts(ex, "Figure")]


def test_share_of_gdp_is_a_percent_figure_but_growth_is_not():
    ex = run("Norway will spend 3.2 percent of GDP on defence by 2030, while exports grew 5% last year.")
    assert figures(ex) == [(3.2, "percent")]


def test_local_dollars_and_pesos_follow_the_dateline():
    ex = run("CANBERRA, Jan 27 (Reuters) - Australia will spend $7 billion on new frigates.")
    assert (7e9, "AUD") in figures(ex)
    ex = run("MEXICO CITY, Jan 27 (Reuters) - Mexico approved 12 billion pesos for the National Guard.")
    assert (12e9, "MXN") in figures(ex)


def test_hyphenated_scale_is_read():
    ex = run("India signed a Rs 2,500-crore deal with Israel for drones.")
    assert (2.5e10, "INR") in figures(ex)


def test_capital_after_to_is_the_government_unless_someone_travels_there():
    ex = run("Seoul conveyed its concerns to Beijing on Monday.")
    assert {"South Korea", "China"} <= {e.name for e in ex.entities.values() if e.kind == "Country"}
    assert not [e for e in ex.entities.values() if e.kind == "Place"]
    ex = run("The minister flew to Beijing on Monday.")
    assert [e.name for e in ex.entities.values() if e.kind == "Place"] == ["Beijing"]


def test_coordinated_suppliers_share_the_preposition_and_make_one_transfer_each():
    ex = run("Egypt agreed to buy 24 used Rafales each from France and Greece to fill the gap.")
    transfer(ex, "Rafale")
    sides = {(frozenset(actor_names(ex, g.supplier)), frozenset(actor_names(ex, g.recipient)))
             for g in facts(ex, "ArmsTransfer")}
    assert sides == {(frozenset({"France"}), frozenset({"Egypt"})), (frozenset({"Greece"}), frozenset({"Egypt"}))}


def test_a_line_of_credit_is_an_arrangement_and_one_name_holds_one_agreement():
    ex = run("Japan and Vietnam agreed to speed up projects under the USD 300 million defence line of credit "
             "extended by Japan to Vietnam.")
    kinds = [f.agreement_kind for f in agreements(ex)]
    assert kinds == ["arrangement"]
    ex = run("Kenya and Ghana signed a Joint Statement on Kenya-Ghana Defence Partnership on Monday.")
    assert len(agreements(ex)) == 1


def test_different_undated_hostile_incidents_stay_apart():
    ex = run("Ukraine accused Russia of shelling Kharkiv. Earlier, the European Union imposed sanctions on Russia "
             "over the war in Ukraine.")
    assert len(events(ex, "Event")) == 2


# -- entities: what a name does and does not mention ----------------------------------------------

def test_an_institute_named_after_a_capital_does_not_mention_its_country():
    ex = run("Chile's arms imports doubled, according to the Stockholm International Peace Research Institute.")
    assert names(ex, "Country") == {"Chile"}


def test_a_company_does_not_name_its_home_state():
    ex = run("Kenya took delivery of six Super Tucano aircraft made by Embraer, the air force said.")
    assert names(ex, "Country") == {"Kenya"}
    assert "Embraer" in names(ex, "Organisation")


def test_a_news_agency_byline_is_not_an_organisation():
    ex = run("Malaysia will buy two more patrol vessels from Turkey, Bernama reported on Friday.")
    assert "Bernama" not in names(ex, "Organisation")


def test_generic_equipment_words_before_systems_are_not_a_company():
    ex = run("Poland will buy Patriot Missile Systems while Raytheon Missile Systems expands its plant.")
    orgs = names(ex, "Organisation")
    assert "Raytheon Missile Systems" in orgs
    assert not any(o.endswith("Missile Systems") and o != "Raytheon Missile Systems" for o in orgs)


def test_georgia_near_an_air_force_base_is_the_us_state():
    ex = run("Polish pilots trained at Robins Air Force Base in Georgia before the handover, officials said.")
    assert "Georgia" not in names(ex, "Country")
    assert "Georgia" in names(ex, "Place")
    assert "Georgia" in names(run("Georgia and Azerbaijan held border talks in Tbilisi."), "Country")


def test_an_acronym_of_a_border_line_is_not_a_shipyard():
    ex = run("Soldiers briefly crossed the military demarcation line (MDL) before turning back.")
    assert not names(ex, "Organisation") and not names(ex, "Country")


def test_a_groups_short_name_is_the_one_member_company_named():
    ex = run("Hanwha Ocean is bidding to build Canada's new submarines. Hanwha says it can deliver by 2035.")
    assert names(ex, "Organisation") == {"Hanwha Ocean"}
    both = run("Hanwha Group chairman Kim Seung-youn visited a Hanwha Aerospace plant in Poland.")
    assert {"Hanwha Group", "Hanwha Aerospace"} <= names(both, "Organisation")

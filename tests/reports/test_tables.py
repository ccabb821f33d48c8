"""The one small-count rule (reports.tables.suppress): primary, derived and secondary
suppression, and that no suppressed value reaches the rendered data."""

from django.utils import translation

from reports import tables as T


def _table(values, *, total=None, share=False):
    """Rows a–e of (reports, people); total (reports, people)."""
    rows = []
    for key, (n, people) in zip("abcde", values, strict=False):
        cells = {"n": T.count(n, people=people)}
        if share and total:
            cells["share"] = T.percent(n, total[0], people=people, of=["n"])
        rows.append(T.row(key, key.upper(), cells))
    total_row = None
    if total:
        total_row = T.row("total", "Totalt", {"n": T.count(total[0], people=total[1]),
                                               **({"share": T.percent(total[0], total[0], people=total[1],
                                                                      of=["n"])} if share else {})})
    columns = [T.column("n", "Antal")] + ([T.column("share", "Andel", T.PERCENT)] if share else [])
    return T.table("t", "Tabell", "Grupp", columns, rows, total=total_row)


def shown(table, key="n"):
    return {r["key"]: r["cells"][key]["display"] for r in table["rows"] + ([table["total"]] if table["total"] else [])}


def test_a_figure_about_fewer_than_five_people_reads_lt5():
    out = T.suppress_table(_table([(3, 3), (9, 9)]))
    assert shown(out)["a"] == "<5"
    assert out["rows"][0]["cells"]["n"]["value"] is None


def test_zero_and_five_are_shown():
    out = T.suppress_table(_table([(0, 0), (5, 5)]))
    assert shown(out) == {"a": "0", "b": "5"}


def test_many_reports_about_few_people_are_suppressed():
    """12 reports about one person still describe one person."""
    out = T.suppress_table(_table([(12, 1), (30, 20)]))
    assert shown(out)["a"] == "<5"


def test_a_single_suppressed_cell_hides_the_next_smallest_so_the_total_cannot_reveal_it():
    out = T.suppress_table(_table([(3, 3), (9, 9), (20, 20)], total=(32, 32)))
    assert shown(out) == {"a": "<5", "b": "..", "c": "20", "total": "32"}


def test_suppressed_cells_adding_up_to_fewer_than_five_people_hide_one_more():
    out = T.suppress_table(_table([(2, 2), (2, 2), (7, 7), (20, 20)], total=(31, 31)))
    assert shown(out) == {"a": "<5", "b": "<5", "c": "..", "d": "20", "total": "31"}


def test_two_suppressed_cells_with_five_people_together_need_no_more():
    out = T.suppress_table(_table([(2, 2), (3, 3), (7, 7)], total=(12, 12)))
    assert shown(out) == {"a": "<5", "b": "<5", "c": "7", "total": "12"}


def test_when_nothing_else_can_be_hidden_the_total_is():
    out = T.suppress_table(_table([(3, 3), (0, 0)], total=(8, 6)))
    assert shown(out) == {"a": "<5", "b": "0", "total": ".."}


def test_a_share_is_hidden_with_its_count():
    out = T.suppress_table(_table([(3, 3), (9, 9), (20, 20)], total=(32, 32), share=True))
    shares = shown(out, "share")
    assert shares["a"] == "<5" and shares["b"] == ".."
    assert shares["c"] == "63\u00a0%"


def test_a_group_that_can_be_worked_out_hides_the_cell():
    """30 covered, 27 trained: the 3 untrained could be worked out, so 27 is hidden."""
    t = T.table("t", "T", "G", [T.column("n", "N"), T.column("done", "Klara")],
                [T.row("covered", "Omfattas", {"n": T.count(30), "done": T.count(27, also=[3])})])
    out = T.suppress_table(t)
    assert out["rows"][0]["cells"]["done"]["display"] == ".."
    assert out["rows"][0]["cells"]["n"]["display"] == "30"


def test_cells_about_no_group_of_people_are_always_shown():
    t = T.table("t", "T", "G", [T.column("n", "N")], [T.row("sessions", "Tillfällen", {"n": T.cell(2)})])
    assert T.suppress_table(t)["rows"][0]["cells"]["n"]["display"] == "2"


def test_suppressed_data_carries_no_hidden_value_or_people_count():
    data = {"summary": T.table("summary", "S", "F", [T.column("value", "V")],
                               [T.row("x", "X", {"value": T.ref("t", "a", "n")})]),
            "sections": [{"id": "s", "title": "S", "intro": "", "tables": [
                _table([(3, 3), (9, 9), (20, 20)], total=(32, 32), share=True)]}]}
    out = T.suppress(data)
    for table in T.iter_tables(out):
        for r in table["rows"] + ([table["total"]] if table["total"] else []):
            for c in r["cells"].values():
                assert "people" not in c and "also" not in c
                if c["state"] in (T.SUPPRESSED_STATE, T.HIDDEN_STATE):
                    assert c["value"] is None
    # the key figure shows what the table shows
    assert out["summary"]["rows"][0]["cells"]["value"]["display"] == "<5"
    # the raw data is left as it was
    assert data["sections"][0]["tables"][0]["rows"][0]["cells"]["n"]["value"] == 3


def test_numbers_are_written_in_the_active_language():
    t = T.table("t", "T", "G", [T.column("n", "N", T.SEK)], [T.row("a", "A", {"n": T.sek(2000000)})])
    with translation.override("sv"):
        assert T.suppress_table(t)["rows"][0]["cells"]["n"]["display"] == "2\u00a0000\u00a0000 kr"
    with translation.override("en"):
        assert T.suppress_table(t)["rows"][0]["cells"]["n"]["display"] == "2,000,000 SEK"


def test_the_same_total_under_two_breakdowns_is_concealed_in_both():
    """All reports (8 about 6 officials) by channel and by gender: the channel table has to hide its
    total (nothing else is left to hide beside the "<5"), so the gender table hides it too."""
    def by(table_id, values):
        rows = [T.row(k, k, {"n": T.count(n, people=p)}) for k, (n, p) in values.items()]
        total = T.same(T.row("total", "Alla", {"n": T.count(8, people=6)}), "all_reports", ("n",))
        return T.table(table_id, table_id, "G", [T.column("n", "Antal")], rows, total=total)

    channel = by("channel", {"email": (3, 3), "letter": (0, 0)})
    gender = by("gender", {"woman": (5, 5), "man": (3, 1)})
    alone = T.suppress_table(gender)
    assert shown(alone) == {"woman": "..", "man": "<5", "total": "8"}
    out_channel, out_gender = T.suppress_tables([channel, gender])
    assert shown(out_channel)["total"] == shown(out_gender)["total"] == ".."


def test_money_has_no_head_count_in_the_report():
    assert T.sek(4200)["people"] is None
    t = T.table("t", "T", "G", [T.column("n", "Antal"), T.column("spent", "Förbrukat", T.SEK)],
                [T.row("alarm", "Larm", {"n": T.count(1), "spent": T.sek(4200)})])
    with translation.override("sv"):
        cells = T.suppress_table(t)["rows"][0]["cells"]
    assert (cells["n"]["display"], cells["spent"]["display"], cells["spent"]["value"]) == ("<5", "4\u00a0200 kr", 4200)

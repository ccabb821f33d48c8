"""The one small-count rule (core.disclosure.protect): primary, derived and complementary
suppression over rows, columns and totals, one figure one answer across tables, money never
suppressed, and that nothing concealed reaches the protected cells."""

import pytest
from django.utils import translation

from core import disclosure as D


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def column_table(values, total=None, *, shares=False, table_id="t"):
    """Rows a, b, c … with one count each (and their share of the total); the total row."""
    whole = total if total is not None else sum(values)
    rows = []
    for key, n in zip("abcdefgh", values, strict=False):
        cells = {"n": D.count(n)}
        if shares:
            cells["share"] = D.share(n, whole, of=["n"])
        rows.append(D.Row(key, key.upper(), cells))
    total_cells = {"n": D.count(whole)}
    if shares:
        total_cells["share"] = D.share(whole, whole, of=["n"])
    return D.Table(table_id, rows, total=D.Row("total", "Totalt", total_cells))


def shown(protected, column="n"):
    return {r.key: r.cells[column].display for r in protected.all_rows if column in r.cells}


def protect_one(table):
    return D.protect([table])[table.id]


# ---------------------------------------------------------------- primary


@pytest.mark.parametrize(("n", "display"), [(0, "0"), (1, "<5"), (3, "<5"), (4, "<5"), (5, "5"), (12, "12")])
def test_a_count_of_one_to_four_people_reads_lt5_and_zero_and_five_are_shown(n, display):
    t = D.Table("t", [D.Row("a", "A", {"n": D.count(n)})])
    cell = protect_one(t).cell("a", "n")
    assert cell.display == display
    assert (cell.value is None) == (display == "<5")


def test_many_reports_about_few_people_are_suppressed():
    """Twelve reports about one official still describe one person."""
    t = D.Table("t", [D.Row("a", "A", {"n": D.count(12, people=1)})])
    assert protect_one(t).cell("a", "n").state == D.State.SUPPRESSED


def test_a_figure_that_reveals_a_small_group_is_hidden():
    """30 covered officials, 27 trained: the 3 untrained could be worked out."""
    t = D.Table("t", [D.Row("covered", "Omfattas", {"n": D.count(30), "done": D.count(27, also=[3])})])
    out = protect_one(t)
    assert (out.cell("covered", "done").display, out.cell("covered", "n").display) == ("..", "30")


def test_a_share_of_fewer_than_five_is_suppressed_even_when_nothing_is_computed():
    t = D.Table("t", [D.Row("a", "A", {"share": D.Figure(None, D.Kind.PERCENT, people=2)})])
    assert protect_one(t).cell("a", "share").display == "<5"


# ---------------------------------------------------------------- derived: percentages, means, totals


def test_a_percentage_is_concealed_with_its_count():
    out = protect_one(column_table([3, 9, 20], shares=True))
    assert shown(out, "share") == {"a": "<5", "b": "..", "c": "63\u00a0%", "total": "100\u00a0%"}


def test_a_figure_computed_from_figures_of_another_table_is_concealed_with_them():
    answers = D.Table("answers", [D.Row("yes", "Ja", {"n": D.count(3, id="yes")}),
                                  D.Row("no", "Nej", {"n": D.count(17, id="no")})])
    mean = D.Table("mean", [D.Row("mean", "Medel", {"value": D.rate(1.2, uses=["yes", "no"])})])
    out = D.protect([answers, mean])
    assert out["mean"].cell("mean", "value").display == ".."


def test_a_total_computed_from_a_concealed_cell_of_its_row_is_concealed():
    t = D.Table("t", [D.Row("a", "A", {"x": D.count(2), "y": D.count(10),
                                       "sum": D.count(12, of=["x", "y"])})])
    assert shown(protect_one(t), "sum") == {"a": ".."}


# ---------------------------------------------------------------- complementary (secondary)


def test_a_lone_suppressed_cell_of_a_column_hides_the_next_smallest_so_the_total_cannot_reveal_it():
    out = protect_one(column_table([3, 9, 20]))
    assert shown(out) == {"a": "<5", "b": "..", "c": "20", "total": "32"}


def test_the_second_cell_is_the_smallest_non_zero_one_and_zeros_are_never_picked():
    out = protect_one(column_table([0, 2, 0, 40, 7, 11]))
    assert shown(out) == {"a": "0", "b": "<5", "c": "0", "d": "40", "e": "..", "f": "11", "total": "60"}


def test_suppressed_cells_adding_up_to_fewer_than_five_people_hide_one_more():
    out = protect_one(column_table([2, 2, 7, 20]))
    assert shown(out) == {"a": "<5", "b": "<5", "c": "..", "d": "20", "total": "31"}


def test_two_suppressed_cells_with_five_people_together_need_no_more():
    out = protect_one(column_table([2, 3, 7]))
    assert shown(out) == {"a": "<5", "b": "<5", "c": "7", "total": "12"}


def test_when_nothing_else_can_be_hidden_the_total_is():
    out = protect_one(column_table([3, 0], total=6))
    assert shown(out) == {"a": "<5", "b": "0", "total": ".."}


def test_a_row_with_a_total_column_gets_complementary_suppression_too():
    t = D.Table("t", [D.Row("kf", "KF", {"woman": D.count(3), "man": D.count(12), "other": D.count(6),
                                         "all": D.count(21)})], row_sum=D.RowSum(("woman", "man", "other"), "all"))
    out = protect_one(t).row("kf").cells
    assert {k: c.display for k, c in out.items()} == {"woman": "<5", "man": "12", "other": "..", "all": "21"}


def test_a_cross_table_hides_a_second_cell_in_the_row_and_the_column_and_a_third_to_close_the_square():
    """2 × 2 with row and column totals: one small cell conceals all four inner cells (any three
    and the totals give the fourth); the totals stay."""
    def row(key, a, b):
        return D.Row(key, key, {"x": D.count(a), "y": D.count(b), "all": D.count(a + b)})

    t = D.Table("t", [row("p", 3, 10), row("q", 8, 12)], total=row("total", 11, 22),
                row_sum=D.RowSum(("x", "y"), "all"))
    out = protect_one(t)
    inner = {(r, c): out.cell(r, c).display for r in ("p", "q") for c in ("x", "y")}
    assert inner == {("p", "x"): "<5", ("p", "y"): "..", ("q", "x"): "..", ("q", "y"): ".."}
    assert [out.cell(r, "all").display for r in ("p", "q", "total")] == ["13", "20", "33"]
    assert [out.cell("total", c).display for c in ("x", "y")] == ["11", "22"]


def test_a_base_that_the_rows_do_not_add_up_to_gets_no_complementary_suppression():
    """A multiple-choice question: each answer's count against the number who answered."""
    rows = [D.Row("a", "A", {"n": D.count(3, also=[17])}), D.Row("b", "B", {"n": D.count(12, also=[8])})]
    t = D.Table("t", rows, total=D.Row("total", "Svarade", {"n": D.count(20)}), adds_up=False)
    assert shown(protect_one(t)) == {"a": "<5", "b": "12", "total": "20"}


def test_concealed_shares_that_together_reveal_a_small_group_hide_one_more():
    """Exposed share by group: 8 of 10 and 9 of 10 are hidden (2 and 1 not exposed); together the
    hidden groups still reveal 3 people not exposed, so one more group is hidden."""
    def group(key, exposed, n):
        return D.Row(key, key, {"n": D.count(n), "exposed": D.share(exposed, n, also=[n - exposed], of=["n"])})

    t = D.Table("t", [group("a", 8, 10), group("b", 9, 10), group("c", 10, 20), group("d", 12, 30)],
                total=D.Row("total", "Alla", {"n": D.count(70), "exposed": D.share(39, 70, also=[31])}))
    out = protect_one(t)
    assert shown(out, "exposed") == {"a": "..", "b": "..", "c": "..", "d": "40\u00a0%", "total": "56\u00a0%"}
    assert shown(out) == {"a": "10", "b": "10", "c": "20", "d": "30", "total": "70"}


# ---------------------------------------------------------------- one figure, one answer


def test_the_same_figure_in_two_tables_is_concealed_in_both():
    """A group's size in the question's own table and in its breakdown. Alone, the question's
    table would hide "not stated" (5) beside "woman" (3) and the breakdown "man" (6), and the two
    tables together would give both. Protected together, "man" is hidden in both."""
    def rows(extra=()):
        return [D.Row(code, code, {"n": D.count(n, id=f"b2:{code}")})
                for code, n in (("woman", 3), ("man", 6), ("other", 30))] + list(extra)

    question = D.Table("question", rows([D.Row("not_stated", "Ej angivet", {"n": D.count(5)})]),
                       total=D.Row("total", "Totalt", {"n": D.count(44)}))
    groups = D.Table("groups", rows(), total=D.Row("total", "Totalt", {"n": D.count(39)}))
    assert protect_one(question).cell("man", "n").display == "6"
    out = D.protect([question, groups])
    assert shown(out["question"]) == {"woman": "<5", "man": "..", "other": "30", "not_stated": "..", "total": "44"}
    assert shown(out["groups"]) == {"woman": "<5", "man": "..", "other": "30", "total": "39"}


def test_a_concealment_in_one_table_can_require_another_in_the_first():
    """Hiding `x` in table B (secondary) conceals it in table A too, where it then needs a partner."""
    a = D.Table("a", [D.Row("x", "x", {"n": D.count(9, id="x")}), D.Row("y", "y", {"n": D.count(30)}),
                      D.Row("z", "z", {"n": D.count(40)})], total=D.Row("total", "T", {"n": D.count(79)}))
    b = D.Table("b", [D.Row("s", "s", {"n": D.count(2)}), D.Row("x", "x", {"n": D.count(9, id="x")}),
                      D.Row("w", "w", {"n": D.count(50)})], total=D.Row("total", "T", {"n": D.count(61)}))
    out = D.protect([a, b])
    assert shown(out["b"]) == {"s": "<5", "x": "..", "w": "50", "total": "61"}
    assert shown(out["a"]) == {"x": "..", "y": "..", "z": "40", "total": "79"}


def test_figures_sharing_an_id_must_be_the_same_figure():
    t = D.Table("t", [D.Row("a", "A", {"n": D.count(3, id="x")}), D.Row("b", "B", {"n": D.count(4, id="x")})])
    with pytest.raises(ValueError, match="differ"):
        D.protect([t])


def test_a_figure_computed_from_an_unknown_figure_is_an_error():
    t = D.Table("t", [D.Row("a", "A", {"n": D.rate(1.0, uses=["nowhere"]), "m": D.count(5, of=["missing"])})])
    with pytest.raises(ValueError, match="unknown"):
        D.protect([t])


def test_table_ids_are_unique():
    with pytest.raises(ValueError, match="unique"):
        D.protect([column_table([5]), column_table([6])])


# ---------------------------------------------------------------- money is not a head count


def test_money_is_never_suppressed_even_beside_a_suppressed_count():
    t = D.Table("t", [D.Row("alarm", "Larm", {"measures": D.count(1), "spent": D.money(4200)}),
                      D.Row("camera", "Kamera", {"measures": D.count(9), "spent": D.money(18000)})],
                total=D.Row("total", "Alla", {"measures": D.count(10), "spent": D.money(22200)}))
    out = protect_one(t)
    assert shown(out, "spent") == {"alarm": "4\u00a0200 kr", "camera": "18\u00a0000 kr", "total": "22\u00a0200 kr"}
    assert out.cell("alarm", "spent").value == 4200
    assert shown(out, "measures") == {"alarm": "<5", "camera": "..", "total": "10"}


def test_remaining_budget_and_share_of_budget_computed_from_money_are_shown():
    t = D.Table("t", [D.Row("measures", "Åtgärder", {
        "budget": D.money(300000), "spent": D.money(4200),
        "remaining": D.money(295800, of=["spent"]), "used": D.percent_of(4200, 300000, of=["spent"])})])
    out = protect_one(t).row("measures").cells
    assert [out[k].display for k in ("budget", "spent", "remaining", "used")] == [
        "300\u00a0000 kr", "4\u00a0200 kr", "295\u00a0800 kr", "1\u00a0%"]


def test_money_cannot_carry_a_head_count():
    with pytest.raises(ValueError, match="money"):
        D.Figure(4200, D.Kind.MONEY, people=1)


def test_numbers_that_are_not_head_counts_are_shown():
    t = D.Table("t", [D.Row("sessions", "Tillfällen", {"n": D.number(2)}),
                      D.Row("used", "Använt", {"n": D.percent_of(3, 100)})])
    assert shown(protect_one(t)) == {"sessions": "2", "used": "3\u00a0%"}


# ---------------------------------------------------------------- what comes out


def test_protected_cells_carry_no_head_count_and_no_concealed_value():
    out = D.protect([column_table([3, 9, 20], shares=True)])["t"]
    for r in out.all_rows:
        for c in r.cells.values():
            assert set(c.as_dict()) == {"value", "kind", "state", "display"}
            assert not hasattr(c, "people")
            if c.concealed:
                assert c.value is None and c.number is None and c.display in ("<5", "..")


def test_cells_already_protected_pass_through():
    done = D.Cell(D.Kind.PERCENT, D.State.SUPPRESSED, None, "<5")
    t = D.Table("t", [D.Row("a", "A", {"x": done, "y": D.share(5, 10, uses=()), "z": D.count(7, of=["x"])})])
    out = protect_one(t).row("a").cells
    assert out["x"] is done and out["y"].display == "50\u00a0%" and out["z"].display == ".."


def test_numbers_are_written_in_the_active_language():
    t = D.Table("t", [D.Row("a", "A", {"n": D.count(12000), "m": D.money(2000000), "p": D.share(50, 200),
                                       "r": D.rate(2.45)})])
    assert [c.display for c in protect_one(t).row("a").cells.values()] == [
        "12\u00a0000", "2\u00a0000\u00a0000 kr", "25\u00a0%", "2,5"]
    with translation.override("en"):
        assert [c.display for c in protect_one(t).row("a").cells.values()] == [
            "12,000", "2,000,000 SEK", "25%", "2.5"]


def test_a_share_is_rounded_once_from_its_exact_value():
    """10 of 23 is 43.48 %: it reads "43 %" (not 43.5 rounded again to 44)."""
    t = D.Table("t", [D.Row("a", "A", {"p": D.share(10, 23)})])
    cell = protect_one(t).cell("a", "p")
    assert (cell.display, cell.value) == ("43\u00a0%", 43.5)

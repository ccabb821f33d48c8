import datetime as dt

from training import ics


def test_text_is_escaped():
    assert ics.escape_text("a,b;c\\d\nnext") == "a\\,b\\;c\\\\d\\nnext"


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "ö" * 100
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_event_has_the_required_properties_in_utc():
    start = dt.datetime(2026, 11, 3, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    content = ics.event(uid="training-session-7", start=start, end=start + dt.timedelta(hours=2),
                        summary="Utbildning, del 1; hot", location="Stadshuset, sal A", sequence=2,
                        stamp=dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC))
    assert content.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert content.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    lines = content.split("\r\n")
    assert "UID:training-session-7@127.0.0.1" in lines
    assert "DTSTAMP:20261001T120000Z" in lines
    assert "DTSTART:20261103T170000Z" in lines
    assert "DTEND:20261103T190000Z" in lines
    assert "SEQUENCE:2" in lines
    assert "STATUS:CONFIRMED" in lines
    assert "SUMMARY:Utbildning\\, del 1\\; hot" in lines
    assert "LOCATION:Stadshuset\\, sal A" in lines
    assert "\n" not in content.replace("\r\n", "")


def test_cancelled_event():
    start = dt.datetime(2026, 11, 3, 17, 0, tzinfo=dt.UTC)
    content = ics.event(uid="x", start=start, end=start + dt.timedelta(hours=1), summary="s", cancelled=True)
    assert "STATUS:CANCELLED\r\n" in content

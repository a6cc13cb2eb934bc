"""A subscription's sessions as an iCalendar (RFC 5545) feed for the client's phone calendar."""

from datetime import timedelta

from fitr.clock import utcnow


def escape(text):
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line):
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def calendar_feed(name, sessions, session_url, host, unit=None):
    """The .ics text: one all-day event per session (title, the exercises, a link to log it)."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//fitr//Training calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for session in sessions:
        exercises = "\n".join(f"{p.exercise.name} {p.dose_text_in(unit)}".strip() for p in session.prescriptions)
        description = "\n\n".join(part for part in (exercises, session.notes) if part)
        url = session_url(session)
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{session.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{session.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{session.date + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(session.title)}",
            f"DESCRIPTION:{escape(description)}",
            f"URL:{url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"

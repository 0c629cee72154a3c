"""The calendar entry (RFC 5545) for one meeting, downloaded from the link in the invitation."""

import datetime

from django.conf import settings

from apps.meetings.models import NetworkMeeting


def _escape(text: str) -> str:
    # RFC 5545 §3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values.
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1), without splitting a UTF-8 character."""
    parts, current = [], ""
    for char in line:
        if len((current + char).encode()) > (75 if not parts else 74):
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return [parts[0], *(" " + part for part in parts[1:])]


def meeting_ics(*, meeting: NetworkMeeting) -> str:
    """A VCALENDAR with one VEVENT; a cancelled meeting is sent as STATUS:CANCELLED with a higher SEQUENCE,
    so a calendar that imported it before marks it cancelled."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "naboambassador"
    description = "\n".join(part for part in [meeting.theme, *meeting.agenda_items] if part)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Naboambassadør//Meetings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{_utc(meeting.updated_at)}",
        f"SEQUENCE:{1 if meeting.is_cancelled else 0}",
        f"DTSTART:{_utc(meeting.starts_at)}",
        f"DTEND:{_utc(meeting.ends_at)}",
        f"SUMMARY:{_escape(meeting.title)}",
    ]
    if meeting.place:
        lines.append(f"LOCATION:{_escape(meeting.place)}")
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    lines += [f"STATUS:{'CANCELLED' if meeting.is_cancelled else 'CONFIRMED'}", "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n"

"""Log records without secrets: the addresses of link-only pages carry the link's token.

Django logs every 4xx/5xx answer with its path ("Bad Request: /s/<token>/"), and runserver every request.
A personal survey link, a meeting-answer link or a sign-in link in a log file is a key to that page for
whoever reads the log, so the token part of those paths is replaced by "[token]".
"""

import logging
import re

# The pages whose address is the secret (see the apps' urls.py).
TOKEN_PATH = re.compile(
    r"(/s/(?:qr/|a/)?|/meetings/answer/|/meetings/ics/|/accounts/link/|/accounts/password/reset/[^/\s]+/)"
    r"(?!sent/)[^/?\s\"']+"
)


def redact_token_paths(text: str) -> str:
    return TOKEN_PATH.sub(r"\1[token]", text)


class RedactTokenPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_token_paths(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True

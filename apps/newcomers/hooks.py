"""What the newcomers app tells the apps above it, without importing them.

A later move-in list may correct a newcomer's move-in date (see the import's writer); the visits copy
that date and count their due date from it, so the visits app registers a handler here in its `ready()`.
"""

from collections.abc import Callable

_move_in_corrected: list[Callable[..., None]] = []


def move_in_corrected_register(handler: Callable[..., None]) -> None:
    """`handler(newcomer_ids=[...])` is called, inside the import's transaction, after their dates changed."""
    if handler not in _move_in_corrected:
        _move_in_corrected.append(handler)


def move_in_corrected_notify(*, newcomer_ids: list[int]) -> None:
    if not newcomer_ids:
        return
    for handler in _move_in_corrected:
        handler(newcomer_ids=newcomer_ids)

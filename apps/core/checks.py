"""Start-up checks for the ground floor's registries, which the apps above fill in `ready()`."""

from django.core.checks import Error

from apps.core import policy


def policy_complete(app_configs, **kwargs) -> list[Error]:
    """Every permission has a rule and the memberships have a source; the engine refuses what has none."""
    errors = [
        Error(
            f"The permission {perm} has no rule, so it is refused to everyone.",
            hint="Register its rule with @rule in apps/access/rules.py.",
            id="core.E001",
        )
        for perm in policy.permissions_without_rule()
    ]
    if not policy.has_membership_source():
        errors.append(
            Error(
                "No membership source is registered, so no role can be checked.",
                hint="Install apps.access (after the apps it names) or register one with @membership_source.",
                id="core.E002",
            )
        )
    if not policy.has_programme_lead_check():
        errors.append(
            Error(
                "No programme-lead check is registered, so two-factor cannot be required of programme leads.",
                hint="Install apps.access or register one with @programme_lead_check.",
                id="core.E003",
            )
        )
    return errors

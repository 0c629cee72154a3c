"""The ambassador corps around the profiles in apps.visits: recruiting candidates, onboarding, training,
recognition and the corps' health. An ambassador's status and its dated history live on the profile
(`Ambassador.status`, `AmbassadorStatusChange`); this app adds what comes before and around it."""

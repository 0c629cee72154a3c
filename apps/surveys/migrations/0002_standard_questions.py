"""The standard question bank, with stable codes (imports, reports and dashboards rely on them).

Short, plain wording in Danish (as in the evaluation), English, Arabic and Turkish. Re-running updates
the texts of existing codes and never deletes a question (answers point at them).
"""

from django.db import migrations

YND = "yes_no_dontknow"

STANDARD_BANK = [
    {
        "code": "ambassador_contact",
        "kind": YND,
        "texts": {
            "da": "Har du haft besøg af eller modtaget en velkomstmappe fra en naboambassadør?",
            "en": "Have you had a visit from a neighbour ambassador, or a welcome folder from one?",
            "ar": "هل زارك سفير الجيران، أو تلقيت منه ملف الترحيب؟",
            "tr": "Bir komşu elçisi sizi ziyaret etti mi ya da size bir hoş geldin dosyası verdi mi?",
        },
    },
    {
        "code": "happy_living_here",
        "kind": YND,
        "texts": {
            "da": "Er du glad for at bo i dit boligområde?",
            "en": "Are you happy living in your housing area?",
            "ar": "هل أنت سعيد بالسكن في منطقتك السكنية؟",
            "tr": "Konut bölgenizde yaşamaktan memnun musunuz?",
        },
    },
    {
        "code": "feel_welcome",
        "kind": YND,
        "texts": {
            "da": "Føler du dig velkommen i dit boligområde?",
            "en": "Do you feel welcome in your housing area?",
            "ar": "هل تشعر بأنك مرحَّب بك في منطقتك السكنية؟",
            "tr": "Konut bölgenizde kendinizi hoş karşılanmış hissediyor musunuz?",
        },
    },
    {
        "code": "joined_activities",
        "kind": YND,
        "texts": {
            "da": "Har du deltaget i fællesaktiviteter i boligområdet?",
            "en": "Have you taken part in shared activities in the housing area?",
            "ar": "هل شاركت في أنشطة مشتركة في المنطقة السكنية؟",
            "tr": "Konut bölgesindeki ortak etkinliklere katıldınız mı?",
        },
    },
    {
        "code": "safety_scale",
        "kind": "scale_1_7",
        "texts": {
            "da": "Hvor tryg føler du dig i dit nabolag? 1 er »jeg føler mig grundlæggende tryg«, "
            "7 er »jeg føler mig grundlæggende utryg«.",
            "en": "How safe do you feel in your neighbourhood? 1 is “I basically feel safe”, "
            "7 is “I basically feel unsafe”.",
            "ar": "ما مدى شعورك بالأمان في حيّك؟ 1 تعني «أشعر بالأمان بشكل عام»، و7 تعني «لا أشعر بالأمان بشكل عام».",
            "tr": "Mahallenizde kendinizi ne kadar güvende hissediyorsunuz? 1 “genel olarak güvendeyim”, "
            "7 “genel olarak güvende değilim” demek.",
        },
    },
    {
        "code": "trust_neighbours",
        "kind": YND,
        "texts": {
            "da": "Har du tillid til dine naboer i dit boligområde?",
            "en": "Do you trust your neighbours in your housing area?",
            "ar": "هل تثق بجيرانك في منطقتك السكنية؟",
            "tr": "Konut bölgenizdeki komşularınıza güveniyor musunuz?",
        },
    },
    {
        "code": "received_folder",
        "kind": YND,
        "texts": {
            "da": "Har du modtaget en velkomstmappe?",
            "en": "Have you received a welcome folder?",
            "ar": "هل استلمت ملف الترحيب؟",
            "tr": "Hoş geldin dosyası aldınız mı?",
        },
    },
    {
        "code": "looked_at_folder",
        "kind": YND,
        "depends_on": "received_folder",
        "depends_value": "yes",
        "texts": {
            "da": "Har du kigget på indholdet af velkomstmappen?",
            "en": "Have you looked at what is in the welcome folder?",
            "ar": "هل اطّلعت على محتوى ملف الترحيب؟",
            "tr": "Hoş geldin dosyasının içine baktınız mı?",
        },
    },
    {
        "code": "folder_useful",
        "kind": YND,
        "depends_on": "looked_at_folder",
        "depends_value": "yes",
        "texts": {
            "da": "Gav velkomstmappen dig nyttig information?",
            "en": "Did the welcome folder give you useful information?",
            "ar": "هل أعطاك ملف الترحيب معلومات مفيدة؟",
            "tr": "Hoş geldin dosyası size faydalı bilgi verdi mi?",
        },
    },
]


def install(apps, schema_editor):
    Question = apps.get_model("surveys", "Question")
    for spec in STANDARD_BANK:
        Question.objects.update_or_create(
            code=spec["code"],
            defaults={
                "kind": spec["kind"],
                "texts": spec["texts"],
                "choices": [],
                "depends_on": spec.get("depends_on", ""),
                "depends_value": spec.get("depends_value", ""),
                "area": None,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]

"""The fixed words of the printed folder (cover, business card, calendar, back page) in the folder's
languages.

The folder is printed in the newcomer's language, which is often not one the site's own translations
(`locale/`, Danish and English) cover, so these few sentences live here, written by people who speak
them. A language without its own words here prints them in English; the coordinator's sections are
in the language itself all the same.
"""

# Native names, so a reader finds their own language whatever the page's language.
ENDONYMS: dict[str, str] = {
    "da": "Dansk",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "so": "Soomaali",
    "ur": "اردو",
    "fa": "فارسی",
    "ku": "Kurdî",
    "ps": "پښتو",
    "ti": "ትግርኛ",
    "bs": "Bosanski",
    "pl": "Polski",
    "ro": "Română",
    "uk": "Українська",
    "vi": "Tiếng Việt",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
}

WORDS: dict[str, dict[str, object]] = {
    "da": {
        "cover_title": "Velkommen til %(area)s",
        "cover_intro": "Denne mappe er til dig, der lige er flyttet ind. Her finder du kontakter, faciliteter, "
        "husorden og aktiviteter i området.",
        "card_title": "Din naboambassadør",
        "card_intro": "Jeg bor selv i området og hjælper gerne, hvis du har spørgsmål.",
        "phone": "Telefon",
        "speaks": "Jeg taler",
        "sample_newcomer": "Navn på tilflytter",
        "sample_ambassador": "Navn på naboambassadør",
        "calendar_title": "Aktiviteter",
        "calendar_period": "Aktiviteter i området fra %(start)s til %(end)s.",
        "calendar_note": "Aktiviteterne er hver uge, medmindre andet står. Alle er velkomne – kom bare.",
        "calendar_empty": "Der er ingen aktiviteter i perioden.",
        "other_times": "Andre tider",
        "dates": "Datoer",
        "where": "Hvor",
        "contact": "Kontakt",
        "survey_title": "Hvordan er det at bo her?",
        "survey_text": "Vi vil gerne høre, hvordan du har det i dit nye hjem. Scan koden med din telefon, "
        "eller skriv adressen i din browser. Det tager fem minutter.",
        "closing": "Velkommen som ny nabo!",
        "version": "Velkomstmappe · version %(number)s",
        "weekdays": ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"],
        "months": [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ],
    },
    "en": {
        "cover_title": "Welcome to %(area)s",
        "cover_intro": "This folder is for you who have just moved in. It holds contacts, facilities, house "
        "rules and activities in the area.",
        "card_title": "Your neighbour ambassador",
        "card_intro": "I live in the area too and am happy to help if you have questions.",
        "phone": "Phone",
        "speaks": "I speak",
        "sample_newcomer": "Newcomer's name",
        "sample_ambassador": "Ambassador's name",
        "calendar_title": "Activities",
        "calendar_period": "Activities in the area from %(start)s to %(end)s.",
        "calendar_note": "The activities are every week unless stated otherwise. Everyone is welcome — just come along.",
        "calendar_empty": "There are no activities in this period.",
        "other_times": "Other times",
        "dates": "Dates",
        "where": "Where",
        "contact": "Contact",
        "survey_title": "How is it to live here?",
        "survey_text": "We would like to hear how you are settling in. Scan the code with your phone or type "
        "the address into your browser. It takes five minutes.",
        "closing": "Welcome, new neighbour!",
        "version": "Welcome folder · version %(number)s",
        "weekdays": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
        "months": [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
    },
    "ar": {
        "cover_title": "مرحبًا بكم في %(area)s",
        "cover_intro": "هذا الملف لك أنت الذي انتقلت للتو إلى مسكنك الجديد. ستجد فيه أرقام التواصل والمرافق "
        "وقواعد السكن والأنشطة في المنطقة.",
        "card_title": "سفير الجيران الخاص بك",
        "card_intro": "أنا أيضًا أسكن في المنطقة، ويسعدني أن أساعدك إذا كانت لديك أسئلة.",
        "phone": "الهاتف",
        "speaks": "أتحدث",
        "sample_newcomer": "اسم الساكن الجديد",
        "sample_ambassador": "اسم سفير الجيران",
        "calendar_title": "الأنشطة",
        "calendar_period": "الأنشطة في المنطقة من %(start)s إلى %(end)s.",
        "calendar_note": "تُقام الأنشطة كل أسبوع ما لم يُذكر غير ذلك. الجميع مرحَّب بهم، تعالوا فقط.",
        "calendar_empty": "لا توجد أنشطة في هذه الفترة.",
        "other_times": "أوقات أخرى",
        "dates": "التواريخ",
        "where": "المكان",
        "contact": "للتواصل",
        "survey_title": "كيف تجد السكن هنا؟",
        "survey_text": "نودّ أن نعرف كيف تجد بيتك الجديد. امسح الرمز بهاتفك أو اكتب العنوان في المتصفح. "
        "يستغرق ذلك خمس دقائق.",
        "closing": "أهلًا بك جارًا جديدًا!",
        "version": "ملف الترحيب · الإصدار %(number)s",
        "weekdays": ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"],
        "months": [
            "يناير",
            "فبراير",
            "مارس",
            "أبريل",
            "مايو",
            "يونيو",
            "يوليو",
            "أغسطس",
            "سبتمبر",
            "أكتوبر",
            "نوفمبر",
            "ديسمبر",
        ],
    },
    "tr": {
        "cover_title": "%(area)s bölgesine hoş geldiniz",
        "cover_intro": "Bu dosya yeni taşınan sizin için hazırlandı. İçinde iletişim bilgileri, ortak alanlar, "
        "ev kuralları ve bölgedeki etkinlikler yer alıyor.",
        "card_title": "Komşu elçiniz",
        "card_intro": "Ben de bu bölgede oturuyorum; sorularınız olursa seve seve yardım ederim.",
        "phone": "Telefon",
        "speaks": "Konuştuğum diller",
        "sample_newcomer": "Yeni sakinin adı",
        "sample_ambassador": "Komşu elçisinin adı",
        "calendar_title": "Etkinlikler",
        "calendar_period": "%(start)s ile %(end)s arasında bölgedeki etkinlikler.",
        "calendar_note": "Aksi belirtilmedikçe etkinlikler her hafta yapılır. Herkes davetlidir, gelmeniz yeterli.",
        "calendar_empty": "Bu dönemde etkinlik yok.",
        "other_times": "Diğer zamanlar",
        "dates": "Tarihler",
        "where": "Yer",
        "contact": "İletişim",
        "survey_title": "Burada yaşamak nasıl?",
        "survey_text": "Yeni evinize nasıl alıştığınızı öğrenmek istiyoruz. Kodu telefonunuzla tarayın ya da "
        "adresi tarayıcınıza yazın. Beş dakika sürer.",
        "closing": "Yeni komşumuz, hoş geldiniz!",
        "version": "Hoş geldin dosyası · sürüm %(number)s",
        "weekdays": ["Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar"],
        "months": [
            "Ocak",
            "Şubat",
            "Mart",
            "Nisan",
            "Mayıs",
            "Haziran",
            "Temmuz",
            "Ağustos",
            "Eylül",
            "Ekim",
            "Kasım",
            "Aralık",
        ],
    },
}


def words(language: str) -> dict[str, object]:
    return WORDS.get(language, WORDS["en"])


def endonym(code: str) -> str:
    return ENDONYMS.get(code, code)

"""A short, plain welcome folder in Danish, English, Arabic and Turkish, for `seed_demo` and the tests.

Everything in it is fictional (names, phone numbers), but written as a coordinator would write it.
"""

from apps.accounts.models import User
from apps.folders.models import Section, WelcomeFolder
from apps.folders.services import folder_get_or_create, folder_publish, section_text_save
from apps.organisation.models import Area

Kind = Section.Kind

# kind → language → (heading, Markdown)
DEMO_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    Kind.WELCOME_LETTER: {
        "da": (
            "Velkommen",
            "Kære nye nabo\n\nVelkommen til området! Vi er glade for, at du er flyttet ind. I denne mappe finder du "
            "det vigtigste om at bo her: hvem du kan ringe til, hvordan vaskeriet virker, og hvad der sker i "
            "fælleshuset.\n\nDin naboambassadør bor selv her og hjælper gerne.\n\nMange hilsner\n"
            "Det boligsociale team",
        ),
        "en": (
            "Welcome",
            "Dear new neighbour\n\nWelcome to the area! We are glad you have moved in. This folder holds the most "
            "important things about living here: who to call, how the laundry works and what happens in the "
            "common house.\n\nYour neighbour ambassador lives here too and is happy to help.\n\nBest wishes\n"
            "The social housing team",
        ),
        "ar": (
            "أهلًا وسهلًا",
            "جارنا الجديد العزيز\n\nمرحبًا بك في المنطقة! يسعدنا أنك انتقلت إلى هنا. ستجد في هذا الملف أهم ما تحتاج "
            "معرفته عن السكن هنا: بمن تتصل، وكيف تستخدم المغسلة، وما الذي يحدث في البيت المشترك.\n\n"
            "سفير الجيران يسكن هنا أيضًا ويسعده أن يساعدك.\n\nمع أطيب التحيات\nفريق العمل الاجتماعي في السكن",
        ),
        "tr": (
            "Hoş geldiniz",
            "Sevgili yeni komşumuz\n\nBölgemize hoş geldiniz! Buraya taşındığınız için çok mutluyuz. Bu dosyada "
            "burada yaşamakla ilgili en önemli bilgileri bulacaksınız: kimi arayabileceğinizi, çamaşırhanenin "
            "nasıl çalıştığını ve ortak evde neler olduğunu.\n\nKomşu elçiniz de burada oturuyor ve size seve "
            "seve yardım eder.\n\nSevgiyle\nSosyal konut ekibi",
        ),
    },
    Kind.CONTACTS: {
        "da": (
            "Kontakter og åbningstider",
            "| Hvem | Telefon | Åbent |\n|---|---|---|\n| Ejendomskontoret | 66 10 20 30 | Man–fre 8–9, tors 15–17 |\n"
            "| Boligsocialt team | 20 10 01 00 | Man–tors 9–15 |\n| Afdelingsbestyrelsen | bestyrelsen@demo.dk | "
            "Første tirsdag i måneden 19–20 |\n\n**Akut hjælp:** 112 · **Vagttelefon (vand, varme, el):** 70 20 30 40",
        ),
        "en": (
            "Contacts and opening hours",
            "| Who | Phone | Open |\n|---|---|---|\n| Estate office | 66 10 20 30 | Mon–Fri 8–9, Thu 15–17 |\n"
            "| Social housing team | 20 10 01 00 | Mon–Thu 9–15 |\n| Tenant board | bestyrelsen@demo.dk | "
            "First Tuesday of the month 19–20 |\n\n**Emergency:** 112 · **On-call (water, heating, power):** 70 20 30 40",
        ),
        "ar": (
            "أرقام التواصل وأوقات العمل",
            "| الجهة | الهاتف | أوقات العمل |\n|---|---|---|\n| مكتب العقار | 66 10 20 30 | الاثنين–الجمعة 8–9، الخميس 15–17 |\n"
            "| الفريق الاجتماعي | 20 10 01 00 | الاثنين–الخميس 9–15 |\n| مجلس السكان | bestyrelsen@demo.dk | "
            "أول ثلاثاء من كل شهر 19–20 |\n\n**الطوارئ:** 112 · **هاتف المناوبة (الماء والتدفئة والكهرباء):** 70 20 30 40",
        ),
        "tr": (
            "İletişim ve çalışma saatleri",
            "| Kim | Telefon | Açık |\n|---|---|---|\n| Site yönetim ofisi | 66 10 20 30 | Pzt–Cuma 8–9, Perş 15–17 |\n"
            "| Sosyal konut ekibi | 20 10 01 00 | Pzt–Perş 9–15 |\n| Kiracılar kurulu | bestyrelsen@demo.dk | "
            "Her ayın ilk salısı 19–20 |\n\n**Acil durum:** 112 · **Nöbetçi hat (su, ısıtma, elektrik):** 70 20 30 40",
        ),
    },
    Kind.FACILITIES: {
        "da": (
            "Faciliteter",
            "### Vaskeriet\nLærkebakken 7, kælderen. Book en tid på tavlen ved døren eller i appen. Betal med "
            "vaskekortet fra ejendomskontoret.\n\n### Fælleshuset\nKan lejes til fester for 300 kr. Kontakt "
            "ejendomskontoret.\n\n### Legepladser\nTre legepladser – den største ligger ved søen.",
        ),
        "en": (
            "Facilities",
            "### The laundry\nLærkebakken 7, basement. Book a time on the board by the door or in the app. Pay "
            "with the laundry card from the estate office.\n\n### The common house\nCan be rented for parties "
            "for DKK 300. Ask the estate office.\n\n### Playgrounds\nThree playgrounds — the largest is by the lake.",
        ),
        "ar": (
            "المرافق",
            "### المغسلة\nلاركه باكن 7، في القبو. احجز موعدًا على اللوحة بجانب الباب أو في التطبيق. ادفع ببطاقة "
            "الغسيل من مكتب العقار.\n\n### البيت المشترك\nيمكن استئجاره للحفلات مقابل 300 كرونة. اسأل مكتب العقار."
            "\n\n### ملاعب الأطفال\nثلاثة ملاعب، وأكبرها بجانب البحيرة.",
        ),
        "tr": (
            "Ortak alanlar",
            "### Çamaşırhane\nLærkebakken 7, bodrum kat. Kapının yanındaki panodan veya uygulamadan saat alın. "
            "Ödemeyi yönetim ofisinden alacağınız çamaşır kartıyla yapın.\n\n### Ortak ev\nPartiler için 300 "
            "krona kiralanabilir. Yönetim ofisine sorun.\n\n### Oyun alanları\nÜç oyun alanı var; en büyüğü gölün yanında.",
        ),
    },
    Kind.HOUSE_RULES: {
        "da": (
            "Husorden",
            "- Der skal være ro mellem kl. 22 og 7.\n- Cykler står i cykelkælderen, ikke på trappen.\n"
            "- Grill kun på de faste grillpladser.\n\nHele husordenen får du på ejendomskontoret.",
        ),
        "en": (
            "House rules",
            "- Quiet hours are from 22:00 to 07:00.\n- Bicycles go in the bicycle cellar, not in the stairwell.\n"
            "- Barbecue only at the fixed barbecue places.\n\nThe estate office has the full house rules.",
        ),
        "ar": (
            "قواعد السكن",
            "- يجب الحفاظ على الهدوء من الساعة 22 حتى الساعة 7.\n- توضع الدراجات في قبو الدراجات، وليس على الدرج.\n"
            "- الشواء مسموح فقط في أماكن الشواء المخصصة.\n\nتجد قواعد السكن كاملة في مكتب العقار.",
        ),
        "tr": (
            "Ev kuralları",
            "- Saat 22 ile 7 arası sessizlik saatleridir.\n- Bisikletler merdivene değil, bisiklet bodrumuna konur.\n"
            "- Mangal yalnızca belirlenen mangal yerlerinde yapılır.\n\nKuralların tamamı yönetim ofisinde.",
        ),
    },
    Kind.WASTE_SORTING: {
        "da": (
            "Affaldssortering",
            "Affaldsøerne står ved hver opgang.\n\n- **Madaffald** i de grønne poser\n- **Papir og pap**\n"
            "- **Plast og metal**\n- **Glas**\n- **Restaffald**\n\nStorskrald hentes den første mandag i måneden.",
        ),
        "en": (
            "Waste sorting",
            "The waste stations are by every entrance.\n\n- **Food waste** in the green bags\n- **Paper and cardboard**\n"
            "- **Plastic and metal**\n- **Glass**\n- **Residual waste**\n\nBulky waste is collected on the first Monday of the month.",
        ),
        "ar": (
            "فرز النفايات",
            "توجد حاويات النفايات عند كل مدخل.\n\n- **بقايا الطعام** في الأكياس الخضراء\n- **الورق والكرتون**\n"
            "- **البلاستيك والمعادن**\n- **الزجاج**\n- **النفايات الأخرى**\n\nتُجمع النفايات الكبيرة يوم الاثنين الأول من كل شهر.",
        ),
        "tr": (
            "Çöp ayrıştırma",
            "Çöp konteynerleri her girişin yanında.\n\n- **Yemek atıkları** yeşil poşetlere\n- **Kâğıt ve karton**\n"
            "- **Plastik ve metal**\n- **Cam**\n- **Diğer atıklar**\n\nBüyük eşyalar her ayın ilk pazartesi günü toplanır.",
        ),
    },
    Kind.GOOD_STORIES: {
        "da": (
            "Gode historier fra området",
            "Hver tirsdag laver 20 naboer mad sammen i fælleshuset. »Jeg kendte ingen, da jeg flyttede ind. Nu "
            "siger jeg hej til halvdelen af opgangen,« fortæller Samira, der kom til madklubben for to år siden.",
        ),
        "en": (
            "Good stories from the area",
            "Every Tuesday, 20 neighbours cook together in the common house. “I knew nobody when I moved in. Now "
            "I say hello to half the stairwell,” says Samira, who joined the food club two years ago.",
        ),
        "ar": (
            "قصص جميلة من المنطقة",
            "كل يوم ثلاثاء يطبخ عشرون جارًا معًا في البيت المشترك. تقول سميرة التي انضمت إلى نادي الطبخ قبل "
            "سنتين: «لم أكن أعرف أحدًا عندما انتقلت إلى هنا. الآن أُلقي التحية على نصف جيران الدرج».",
        ),
        "tr": (
            "Bölgeden güzel hikâyeler",
            "Her salı 20 komşu ortak evde birlikte yemek yapıyor. İki yıl önce yemek kulübüne katılan Samira, "
            "“Taşındığımda kimseyi tanımıyordum. Şimdi merdivendeki komşuların yarısıyla selamlaşıyorum” diyor.",
        ),
    },
}


def folder_build_demo(*, area: Area, by: User | None, publish: bool = True) -> WelcomeFolder:
    """Fill the area's folder with the demo text in four languages and publish it, once."""
    folder = folder_get_or_create(area=area)
    sections = {section.kind: section for section in folder.sections.all()}
    for kind, texts in DEMO_TEXTS.items():
        for language, (title, markdown) in texts.items():
            section_text_save(section=sections[kind], language=language, title=title, markdown=markdown, by=by)
    if publish and not folder.versions.exists():
        folder_publish(folder=folder, by=by)
    return folder

"""What a resident reads on the public "become a neighbour ambassador" page, in its four languages.

Like the newcomer survey's pages (apps/surveys/content.py), the public page speaks the content languages
Danish, English, Arabic (right to left) and Turkish, while the site itself speaks Danish and English through
gettext; the few words live here next to each other, where a translator reviews them together. Placeholders
are filled with `str.format`: `{area}` (the area's name), `{months}` (how long an open candidacy is kept).
"""

from apps.folders.printwords import ENDONYMS

JOIN_LANGUAGES = ("da", "en", "ar", "tr")
LANGUAGE_NAMES = {code: ENDONYMS[code] for code in JOIN_LANGUAGES}

TEXTS: dict[str, dict[str, str]] = {
    "da": {
        "title": "Bliv naboambassadør",
        "intro": (
            "Som naboambassadør i {area} byder du nye naboer velkommen: du ringer på, fortæller om området og "
            "giver dem velkomstmappen. Du er en nabo, ikke en kontrollant. Du bestemmer selv, hvor meget tid du "
            "bruger. Skriv dig op her, så kontakter koordinatoren dig."
        ),
        "language": "Sprog",
        "full_name": "Dit navn",
        "email": "E-mail",
        "phone": "Mobilnummer",
        "contact_help": "Skriv e-mail eller mobilnummer (eller begge), så vi kan kontakte dig.",
        "entrance": "Din opgang (hvis du vil)",
        "entrance_none": "Vil ikke oplyse",
        "languages": "Sprog du taler",
        "motivation": "Et par ord om hvorfor (hvis du vil)",
        "consent": "Ja, I må gemme mine oplysninger for at kontakte mig om at blive naboambassadør.",
        "consent_help": (
            "Vi gemmer det, du skriver her. Kun områdets koordinatorer ser det. Bliver du ikke naboambassadør, "
            "sletter vi det, og senest efter {months} måneder."
        ),
        "honeypot": "Lad dette felt være tomt",
        "submit": "Send",
        "required": "Skriv dit navn.",
        "contact_missing": "Skriv din e-mail eller dit mobilnummer.",
        "email_invalid": "Skriv en gyldig e-mail, fx navn@eksempel.dk.",
        "phone_invalid": "Skriv et gyldigt mobilnummer, fx 20 12 34 56.",
        "consent_missing": "Sæt kryds, hvis vi må gemme dine oplysninger. Uden det kan vi ikke kontakte dig.",
        "too_long": "Skriv højst {limit} tegn.",
        "errors": "Ret venligst det markerede.",
        "thanks_title": "Tak for din interesse!",
        "thanks_text": (
            "Koordinatoren i {area} kontakter dig inden for et par uger og inviterer dig til en kort snak. "
            "Så kan du høre mere om opgaven og beslutte dig. Du forpligter dig ikke til noget endnu."
        ),
        "busy_text": "Der er sendt mange tilmeldinger fra denne enhed lige nu. Prøv igen om en time.",
    },
    "en": {
        "title": "Become a neighbour ambassador",
        "intro": (
            "As a neighbour ambassador in {area} you welcome new neighbours: you ring the bell, tell them about "
            "the area and hand over the welcome folder. You are a neighbour, not an inspector. You decide how "
            "much time you give. Sign up here and the coordinator will contact you."
        ),
        "language": "Language",
        "full_name": "Your name",
        "email": "E-mail",
        "phone": "Mobile number",
        "contact_help": "Give an e-mail address or a mobile number (or both) so we can contact you.",
        "entrance": "Your entrance (if you like)",
        "entrance_none": "Rather not say",
        "languages": "Languages you speak",
        "motivation": "A few words on why (if you like)",
        "consent": "Yes, you may keep my details to contact me about becoming a neighbour ambassador.",
        "consent_help": (
            "We keep what you write here. Only the area's coordinators see it. If you do not become a neighbour "
            "ambassador, we delete it, at the latest after {months} months."
        ),
        "honeypot": "Leave this field empty",
        "submit": "Send",
        "required": "Write your name.",
        "contact_missing": "Give your e-mail address or your mobile number.",
        "email_invalid": "Enter a valid e-mail address, e.g. name@example.com.",
        "phone_invalid": "Enter a valid mobile number, e.g. 20 12 34 56.",
        "consent_missing": "Tick the box if we may keep your details. Without it we cannot contact you.",
        "too_long": "Write at most {limit} characters.",
        "errors": "Please correct what is marked.",
        "thanks_title": "Thank you for your interest!",
        "thanks_text": (
            "The coordinator in {area} will contact you within a few weeks and invite you to a short talk. "
            "There you hear more about the role and decide. You are not committing to anything yet."
        ),
        "busy_text": "Many sign-ups have come from this device just now. Please try again in an hour.",
    },
    "ar": {
        "title": "كن سفيرًا للجيران",
        "intro": (
            "بصفتك سفيرًا للجيران في {area} ترحّب بالجيران الجدد: تطرق الباب، وتخبرهم عن المنطقة وتسلّمهم "
            "ملف الترحيب. أنت جار ولست مراقبًا. أنت من يقرر كم من الوقت تعطي. سجّل هنا وسيتواصل معك المنسّق."
        ),
        "language": "اللغة",
        "full_name": "اسمك",
        "email": "البريد الإلكتروني",
        "phone": "رقم الجوال",
        "contact_help": "اكتب بريدك الإلكتروني أو رقم جوالك (أو كليهما) حتى نتمكن من التواصل معك.",
        "entrance": "مدخل بنايتك (إذا أردت)",
        "entrance_none": "أفضّل عدم الذكر",
        "languages": "اللغات التي تتحدثها",
        "motivation": "بضع كلمات عن السبب (إذا أردت)",
        "consent": "نعم، يمكنكم حفظ بياناتي للتواصل معي بخصوص أن أصبح سفيرًا للجيران.",
        "consent_help": (
            "نحفظ ما تكتبه هنا. لا يراه إلا منسّقو المنطقة. إذا لم تصبح سفيرًا للجيران نحذفه، "
            "وفي موعد أقصاه {months} شهرًا."
        ),
        "honeypot": "اترك هذا الحقل فارغًا",
        "submit": "إرسال",
        "required": "اكتب اسمك.",
        "contact_missing": "اكتب بريدك الإلكتروني أو رقم جوالك.",
        "email_invalid": "اكتب بريدًا إلكترونيًا صحيحًا، مثل name@example.com.",
        "phone_invalid": "اكتب رقم جوال صحيحًا، مثل 20 12 34 56.",
        "consent_missing": "ضع علامة إذا كنت توافق على حفظ بياناتك. بدون ذلك لا يمكننا التواصل معك.",
        "too_long": "اكتب {limit} حرفًا على الأكثر.",
        "errors": "يرجى تصحيح ما هو محدد.",
        "thanks_title": "شكرًا لاهتمامك!",
        "thanks_text": (
            "سيتواصل معك المنسّق في {area} خلال أسابيع قليلة ويدعوك إلى حديث قصير. "
            "هناك تعرف المزيد عن المهمة وتقرر. أنت لا تلتزم بشيء بعد."
        ),
        "busy_text": "وصلت تسجيلات كثيرة من هذا الجهاز للتو. يرجى المحاولة بعد ساعة.",
    },
    "tr": {
        "title": "Komşu elçisi olun",
        "intro": (
            "{area} bölgesinde komşu elçisi olarak yeni komşuları karşılarsınız: zili çalar, bölgeyi anlatır ve "
            "hoş geldin dosyasını verirsiniz. Siz bir komşusunuz, denetçi değil. Ne kadar zaman ayıracağınıza "
            "siz karar verirsiniz. Buradan kaydolun, koordinatör sizinle iletişime geçsin."
        ),
        "language": "Dil",
        "full_name": "Adınız",
        "email": "E-posta",
        "phone": "Cep telefonu",
        "contact_help": "Size ulaşabilmemiz için e-posta adresinizi veya cep telefonunuzu (ya da ikisini) yazın.",
        "entrance": "Giriş kapınız (isterseniz)",
        "entrance_none": "Belirtmek istemiyorum",
        "languages": "Konuştuğunuz diller",
        "motivation": "Neden istediğinize dair birkaç kelime (isterseniz)",
        "consent": "Evet, komşu elçisi olmam hakkında benimle iletişime geçmek için bilgilerimi saklayabilirsiniz.",
        "consent_help": (
            "Buraya yazdıklarınızı saklarız. Bunları yalnızca bölgenin koordinatörleri görür. Komşu elçisi "
            "olmazsanız, en geç {months} ay sonra sileriz."
        ),
        "honeypot": "Bu alanı boş bırakın",
        "submit": "Gönder",
        "required": "Adınızı yazın.",
        "contact_missing": "E-posta adresinizi veya cep telefonunuzu yazın.",
        "email_invalid": "Geçerli bir e-posta adresi yazın, örn. ad@ornek.com.",
        "phone_invalid": "Geçerli bir cep telefonu yazın, örn. 20 12 34 56.",
        "consent_missing": "Bilgilerinizi saklamamıza izin veriyorsanız kutuyu işaretleyin. Aksi halde size ulaşamayız.",
        "too_long": "En fazla {limit} karakter yazın.",
        "errors": "Lütfen işaretli alanları düzeltin.",
        "thanks_title": "İlginiz için teşekkürler!",
        "thanks_text": (
            "{area} koordinatörü birkaç hafta içinde sizinle iletişime geçip kısa bir görüşmeye davet edecek. "
            "Orada görev hakkında daha fazla bilgi alır ve karar verirsiniz. Henüz hiçbir şeyi taahhüt etmiyorsunuz."
        ),
        "busy_text": "Bu cihazdan az önce çok sayıda kayıt geldi. Lütfen bir saat sonra tekrar deneyin.",
    },
}


def join_language(code: str | None) -> str:
    """The page's language for a code from the switcher or the browser (Danish when we have no translation)."""
    code = (code or "").lower()[:2]
    return code if code in JOIN_LANGUAGES else "da"


def join_texts(language: str) -> dict[str, str]:
    return TEXTS[join_language(language)]

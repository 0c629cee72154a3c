"""What the newcomer reads, in the survey's four content languages.

The site itself speaks Danish and English through gettext; newcomers answer in Danish, English, Arabic or
Turkish, which are content languages (like the welcome folder's), so the few words of the answering pages
and the invitation messages live here, next to each other, where a translator reviews them together.
"""

from apps.surveys.models import DONT_KNOW, NO, SURVEY_LANGUAGES, YES

LANGUAGE_NAMES = {"da": "Dansk", "en": "English", "ar": "العربية", "tr": "Türkçe"}

TEXTS: dict[str, dict[str, str]] = {
    "da": {
        "title": "Spørgeskema til nye beboere",
        "intro": "Vi vil gerne høre, hvordan det er at flytte ind hos os. Det tager 3 minutter. Du er anonym.",
        "start": "Start",
        "question_of": "Spørgsmål {n} af {total}",
        YES: "Ja",
        NO: "Nej",
        DONT_KNOW: "Ved ikke",
        "scale_low": "1 = jeg føler mig tryg",
        "scale_high": "7 = jeg føler mig utryg",
        "type_answer": "Skriv dit svar",
        "next": "Næste",
        "back": "Tilbage",
        "skip": "Spring over",
        "thanks_title": "Tak for dine svar!",
        "thanks_text": "Dine svar hjælper os med at byde nye naboer bedre velkommen.",
        "refused_title": "Linket virker ikke",
        "refused_text": "Linket er enten brugt, for gammelt eller forkert. Der er ikke gemt noget.",
        "closed_text": "Undersøgelsen er lukket. Tak for din interesse.",
        "busy_text": "Der er kommet mange svar fra denne enhed lige nu. Prøv igen senere.",
        "invalid_answer": "Vælg et af svarene.",
        "language": "Sprog",
        "invite_sms": "Hej fra {area}. Vil du svare på nogle få korte spørgsmål om at flytte ind? Det tager 3 minutter: {url}",
        "invite_subject": "Hvordan er det at bo i {area}?",
        "remind_sms": "Påmindelse fra {area}: vi vil gerne høre fra dig. Svar her: {url}",
    },
    "en": {
        "title": "Survey for new residents",
        "intro": "We would like to hear what moving in here has been like. It takes 3 minutes. You are anonymous.",
        "start": "Start",
        "question_of": "Question {n} of {total}",
        YES: "Yes",
        NO: "No",
        DONT_KNOW: "Don't know",
        "scale_low": "1 = I feel safe",
        "scale_high": "7 = I feel unsafe",
        "type_answer": "Type your answer",
        "next": "Next",
        "back": "Back",
        "skip": "Skip",
        "thanks_title": "Thank you for your answers!",
        "thanks_text": "Your answers help us welcome new neighbours better.",
        "refused_title": "The link does not work",
        "refused_text": "The link has been used, is too old, or is wrong. Nothing was saved.",
        "closed_text": "The survey is closed. Thank you for your interest.",
        "busy_text": "Many answers have come from this device just now. Please try again later.",
        "invalid_answer": "Choose one of the answers.",
        "language": "Language",
        "invite_sms": "Hello from {area}. Will you answer a few short questions about moving in? It takes 3 minutes: {url}",
        "invite_subject": "How is life in {area}?",
        "remind_sms": "Reminder from {area}: we would like to hear from you. Answer here: {url}",
    },
    "ar": {
        "title": "استبيان للسكان الجدد",
        "intro": "نود أن نعرف كيف كانت تجربة انتقالك إلى هنا. يستغرق ذلك 3 دقائق. هويتك مجهولة.",
        "start": "ابدأ",
        "question_of": "السؤال {n} من {total}",
        YES: "نعم",
        NO: "لا",
        DONT_KNOW: "لا أعرف",
        "scale_low": "1 = أشعر بالأمان",
        "scale_high": "7 = لا أشعر بالأمان",
        "type_answer": "اكتب إجابتك",
        "next": "التالي",
        "back": "رجوع",
        "skip": "تخطَّ",
        "thanks_title": "شكرًا على إجاباتك!",
        "thanks_text": "تساعدنا إجاباتك على الترحيب بالجيران الجدد بشكل أفضل.",
        "refused_title": "الرابط لا يعمل",
        "refused_text": "الرابط مستخدم أو قديم جدًا أو غير صحيح. لم يتم حفظ أي شيء.",
        "closed_text": "الاستبيان مغلق. شكرًا على اهتمامك.",
        "busy_text": "وصلت إجابات كثيرة من هذا الجهاز للتو. يرجى المحاولة لاحقًا.",
        "invalid_answer": "اختر إحدى الإجابات.",
        "language": "اللغة",
        "invite_sms": "مرحبًا من {area}. هل تجيب على بعض الأسئلة القصيرة عن انتقالك إلى السكن؟ يستغرق ذلك 3 دقائق: {url}",
        "invite_subject": "كيف هي الحياة في {area}؟",
        "remind_sms": "تذكير من {area}: نود أن نسمع رأيك. أجب هنا: {url}",
    },
    "tr": {
        "title": "Yeni sakinler için anket",
        "intro": "Buraya taşınmanın nasıl olduğunu öğrenmek istiyoruz. 3 dakika sürer. Kimliğiniz gizli kalır.",
        "start": "Başla",
        "question_of": "Soru {n} / {total}",
        YES: "Evet",
        NO: "Hayır",
        DONT_KNOW: "Bilmiyorum",
        "scale_low": "1 = kendimi güvende hissediyorum",
        "scale_high": "7 = kendimi güvende hissetmiyorum",
        "type_answer": "Cevabınızı yazın",
        "next": "İleri",
        "back": "Geri",
        "skip": "Atla",
        "thanks_title": "Cevaplarınız için teşekkürler!",
        "thanks_text": "Cevaplarınız yeni komşuları daha iyi karşılamamıza yardımcı oluyor.",
        "refused_title": "Bağlantı çalışmıyor",
        "refused_text": "Bağlantı kullanılmış, çok eski ya da hatalı. Hiçbir şey kaydedilmedi.",
        "closed_text": "Anket kapandı. İlginiz için teşekkürler.",
        "busy_text": "Bu cihazdan az önce çok sayıda cevap geldi. Lütfen daha sonra tekrar deneyin.",
        "invalid_answer": "Cevaplardan birini seçin.",
        "language": "Dil",
        "invite_sms": "{area} bölgesinden merhaba. Taşınmanızla ilgili birkaç kısa soruyu cevaplar mısınız? 3 dakika sürer: {url}",
        "invite_subject": "{area} bölgesinde hayat nasıl?",
        "remind_sms": "{area} bölgesinden hatırlatma: sizden haber almak istiyoruz. Buradan cevaplayın: {url}",
    },
}


def survey_language(code: str | None) -> str:
    """The content language to use for a newcomer's language code (Danish when we have no translation)."""
    code = (code or "").lower()[:2]
    return code if code in SURVEY_LANGUAGES else "da"


def texts_for(language: str) -> dict[str, str]:
    return TEXTS[survey_language(language)]

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from apps.accounts import views
from apps.accounts.forms import EmailAuthenticationForm

app_name = "accounts"

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=EmailAuthenticationForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/link/", views.link_request, name="link_request"),
    path("accounts/link/sent/", views.link_sent, name="link_sent"),
    path("accounts/link/<str:token>/", views.link_login, name="link_login"),
    path("areas/<slug:area_slug>/people/", views.people, name="people"),
    path("areas/<slug:area_slug>/people/<int:membership_id>/link/", views.resend_link, name="resend_link"),
    path(
        "areas/<slug:area_slug>/people/invited/<int:invitation_id>/link/",
        views.resend_invitation,
        name="resend_invitation",
    ),
    path("accounts/invitations/", views.invitations, name="invitations"),
    path(
        "accounts/invitations/<int:pk>/accept/",
        views.invitation_answer,
        {"answer": "accept"},
        name="invitation_accept",
    ),
    path(
        "accounts/invitations/<int:pk>/decline/",
        views.invitation_answer,
        {"answer": "decline"},
        name="invitation_decline",
    ),
]

from django.urls import path

from apps.visits import views

# Mounted at the site root: the ambassador's pages under visits/, the coordinator's under areas/<slug>/.
app_name = "visits"

urlpatterns = [
    # The ambassador, on a phone; the app's manifest and service worker at the site root (the worker's scope)
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("visits/mine/", views.mine, name="mine"),
    path("visits/offline/", views.offline_bundle, name="offline_bundle"),
    path("visits/profile/", views.my_profile, name="my_profile"),
    path("visits/photo/<int:pk>/", views.ambassador_photo, name="ambassador_photo"),
    path("visits/<int:pk>/", views.detail, name="detail"),
    path("visits/<int:pk>/record/", views.record_attempt, name="record_attempt"),
    path("visits/met/", views.met_list, name="met_list"),
    path("visits/<int:pk>/contacted/", views.later_contact_new, name="later_contact_new"),
    path("visits/contacts/<int:pk>/undo/", views.later_contact_undo_view, name="later_contact_undo"),
    # The coordinator of the area, at a desk
    path("areas/<slug:slug>/ambassadors/", views.ambassador_list, name="ambassador_list"),
    path("areas/<slug:slug>/ambassadors/<int:pk>/edit/", views.ambassador_edit, name="ambassador_edit"),
    # Support conversations: the coordinators of the area only, never the ambassador
    path("areas/<slug:slug>/ambassadors/<int:pk>/support/", views.support_conversations, name="support"),
    path(
        "areas/<slug:slug>/ambassadors/<int:pk>/support/<int:conversation_pk>/edit/",
        views.support_conversation_edit,
        name="support_edit",
    ),
    path(
        "areas/<slug:slug>/ambassadors/<int:pk>/support/<int:conversation_pk>/delete/",
        views.support_conversation_delete_view,
        name="support_delete",
    ),
    path("areas/<slug:slug>/assign/", views.assign, name="assign"),
    path("areas/<slug:slug>/visits/", views.visit_list, name="visit_list"),
    path("areas/<slug:slug>/visits/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("areas/<slug:slug>/visits/<int:pk>/record/", views.coordinator_record, name="coordinator_record"),
    path("areas/<slug:slug>/newcomers/<int:pk>/edit/", views.newcomer_edit, name="newcomer_edit"),
    path("areas/<slug:slug>/activities/", views.activity_list, name="activity_list"),
    path("areas/<slug:slug>/activities/new/", views.activity_new, name="activity_new"),
    path("areas/<slug:slug>/activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("areas/<slug:slug>/referrals/", views.referral_list, name="referral_list"),
    path("areas/<slug:slug>/referrals/<int:pk>/follow-up/", views.referral_follow_up_view, name="referral_follow_up"),
    path("areas/<slug:slug>/overview/", views.overview_page, name="overview"),
    path("areas/<slug:slug>/overview/newcomers/", views.newcomer_list, name="newcomer_list"),
]

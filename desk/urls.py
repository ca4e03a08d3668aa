from django.urls import path

from claims.models import Answer, Claim, Proposition, Question, Stance
from desk import views

app_name = "desk"

urlpatterns = [
    path("", views.home, name="home"),
    path("sources/new/", views.source_import, name="source_import"),
    path("sources/<int:pk>/", views.source, name="source"),
    path("sources/<int:pk>/claims/new/", views.claim_new, name="claim_new"),
    path("sources/<int:pk>/anchor/", views.anchor_preview, name="anchor_preview"),
    path("sources/<int:pk>/submit/", views.source_submit, name="source_submit"),
    path("sources/<int:pk>/recheck/", views.source_recheck, name="source_recheck"),
    path("suggestions/claims/", views.similar_claims, name="similar_claims"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/submit/", views.claim_submit, name="claim_submit"),
    path("claims/<int:pk>/revise/", views.revise, {"model": Claim}, name="claim_revise"),
    path("suggestions/actors/", views.actor_suggestions, name="actor_suggestions"),
    path("actors/", views.actors, name="actors"),
    path("actors/new/", views.actor_new, name="actor_new"),
    path("actors/<slug:slug>/", views.actor, name="actor"),
    path("actors/<slug:slug>/submit/", views.actor_submit, name="actor_submit"),
    path("propositions/", views.propositions, name="propositions"),
    path("suggestions/propositions/", views.proposition_suggestions, name="proposition_suggestions"),
    path("new-proposition/", views.proposition_new, name="proposition_new"),
    path("propositions/<slug:slug>/", views.board, name="board"),
    path("propositions/<slug:slug>/edit/", views.proposition_edit, name="proposition_edit"),
    path("propositions/<slug:slug>/submit/", views.proposition_submit, name="proposition_submit"),
    path("propositions/<slug:slug>/revise/", views.revise, {"model": Proposition}, name="proposition_revise"),
    path("propositions/<slug:slug>/submit-drafts/", views.board_submit, name="board_submit"),
    path("propositions/<slug:slug>/stances/add/", views.stance_add, name="stance_add"),
    path("stances/<int:pk>/", views.stance_card, name="stance_card"),
    path("stances/<int:pk>/edit/", views.stance_edit, name="stance_edit"),
    path("stances/<int:pk>/move/", views.stance_move, name="stance_move"),
    path("stances/<int:pk>/remove/", views.stance_remove, name="stance_remove"),
    path("stances/<int:pk>/submit/", views.stance_submit, name="stance_submit"),
    path("stances/<int:pk>/revise/", views.revise, {"model": Stance}, name="stance_revise"),
    path("questions/", views.questions, name="questions"),
    path("questions/new/", views.question_new, name="question_new"),  # before the slugs: "new" is not a question
    path("suggestions/questions/", views.question_suggestions, name="question_suggestions"),
    path("questions/<slug:slug>/", views.question, name="question"),
    path("questions/<slug:slug>/edit/", views.question_edit, name="question_edit"),
    path("questions/<slug:slug>/submit/", views.question_submit, name="question_submit"),
    path("questions/<slug:slug>/revise/", views.revise, {"model": Question}, name="question_revise"),
    path("questions/<slug:slug>/submit-drafts/", views.question_submit_drafts, name="question_submit_drafts"),
    path("questions/<slug:slug>/answers/add/", views.answer_add, name="answer_add"),
    path("claims/<int:pk>/answer/", views.claim_answer, name="claim_answer"),
    path("answers/<int:pk>/", views.answer_card, name="answer_card"),
    path("answers/<int:pk>/edit/", views.answer_edit, name="answer_edit"),
    path("answers/<int:pk>/submit/", views.answer_submit, name="answer_submit"),
    path("answers/<int:pk>/revise/", views.revise, {"model": Answer}, name="answer_revise"),
]

from django.urls import path

from accounts import api

urlpatterns = [
    path("users/me/", api.UserMeApi.as_view(), name="users-me"),
]

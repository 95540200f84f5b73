from django.urls import path

from centers import status_views

app_name = "centers"

urlpatterns = [
    path("buyers/<int:pk>/status/", status_views.buyer_status, name="buyer_status"),
]

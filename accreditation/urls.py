from django.urls import path

app_name = "accreditation"
urlpatterns: list = []

"""Demo and benchmark data: the demo municipality (`registry`), the demo survey rounds
(`survey_rounds`) and the national data set (`national`), built by `manage.py seed_demo`."""

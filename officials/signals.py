from django.dispatch import Signal

# Sent when an official's last assignment has ended: the municipality's responsibility ends.
# Receivers (measures) flag open measures for review and tell the official. Kwargs: official, actor.
responsibility_ended = Signal()

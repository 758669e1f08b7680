"""Live hand-over of a website conversation to a person in the team's Slack or Teams channel."""

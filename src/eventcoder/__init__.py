"""eventcoder: sourced, structured political event data from news text."""

"""Real-name identity (MB2018-7, GR2017-6, PA2017-6, PA2020-8/9, BJ2011-9): documents, verification,
subjects, upfront (V) verification."""

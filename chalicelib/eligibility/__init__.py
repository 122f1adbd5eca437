"""The gates above identity and dispositions: may a subject publish, register, found or join a group
(MB2018-7, PA2020-9, GR2017-11, PA2017-13)."""

-- The compose test profile's database user holds exactly the test database's documented
-- grants (infra/README.md, "Secrets"): the MySQL entrypoint creates MYSQL_USER
-- (tradepost_test) with ALL on MYSQL_DATABASE (tradepost); this adds the suites' own
-- databases, tp_test_* (`\_` keeps `_` literal in the pattern).
GRANT ALL PRIVILEGES ON `tp\_test\_%`.* TO 'tradepost_test'@'%';

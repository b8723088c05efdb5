// The Python front end: imports and name resolution, arguments, context, literals, bad input.
#include "frontend/python/module.h"

#include <catch2/catch.hpp>

namespace leash::python {
namespace {

std::vector<std::string> callees(const Module &module) {
  std::vector<std::string> names;
  for (const Call &call : module.calls())
    names.push_back(call.callee);
  return names;
}

// A relative import names a module of the project by the importing file's path.
TEST_CASE("calls resolve through every form of import", "[python]") {
  const SourceFile source("/srv/app/m.py", "import redis\n"
                                           "import redis.asyncio as aredis\n"
                                           "import os.path\n"
                                           "from redis import Redis as R\n"
                                           "from redis import asyncio as aioredis\n"
                                           "from asyncpg import create_pool as make_pool\n"
                                           "from . import local\n"
                                           "from ..db import pool as db_pool\n"
                                           "redis.Redis()\n"
                                           "aredis.Redis()\n"
                                           "os.path.join()\n"
                                           "R.from_url()\n"
                                           "aioredis.Redis()\n"
                                           "make_pool()\n"
                                           "local.thing()\n"
                                           "db_pool()\n"
                                           "Pool().create_pool()\n"
                                           "print()\n");
  const Module module(source);
  CHECK(callees(module) == std::vector<std::string>{"redis.Redis", "redis.asyncio.Redis",
                                                    "os.path.join", "redis.Redis.from_url",
                                                    "redis.asyncio.Redis", "asyncpg.create_pool",
                                                    "srv.app.local.thing", "srv.db.pool", "",
                                                    "builtins.Pool", "builtins.print"});
  CHECK_FALSE(module.syntax_error());
}

TEST_CASE("arguments are split into positional and keywords and spread dicts are read",
          "[python]") {
  const SourceFile source("m.py", "def f():\n"
                                  "    cfg = {'a': 1, 'b': None}\n"
                                  "    g(1, 2, c=3, **cfg)\n"
                                  "    g(**unknown)\n"
                                  "    g(*args)\n"
                                  "    g(**{'d': 4})\n");
  const Module module(source);
  const auto &calls = module.calls();
  REQUIRE(calls.size() == 4);
  CHECK(calls[0].positional.size() == 2);
  REQUIRE(calls[0].keywords.size() == 3);
  CHECK(calls[0].keywords[1].name == "a");
  CHECK(module.is_none(calls[0].keywords[2].value));
  CHECK_FALSE(calls[0].unknown_keywords);
  CHECK(calls[1].unknown_keywords);
  CHECK(calls[2].unknown_keywords);
  CHECK(calls[3].keywords[0].name == "d");
}

TEST_CASE("loops and decorated functions are the call's context", "[python]") {
  const SourceFile source("m.py", "for x in y:\n"
                                  "    a()\n"
                                  "    def inner():\n"
                                  "        b()\n"
                                  "@app.get('/')\n"
                                  "async def handler():\n"
                                  "    c()\n"
                                  "[e(d()) for _ in z]\n");
  const Module module(source);
  const auto &calls = module.calls();
  REQUIRE(calls.size() == 6);
  CHECK(calls[0].in_loop);       // a()
  CHECK_FALSE(calls[1].in_loop); // b(): runs when called
  // The decorator is no function's own call; c() is handler's, which is decorated `get`.
  CHECK((calls[2].callee == "builtins.app.get" && calls[2].function == -1));
  REQUIRE(calls[3].function >= 0);
  CHECK(module.functions()[calls[3].function].decorators == std::vector<std::string>{"get"});
  CHECK_FALSE(calls[4].in_loop); // e(): the element a comprehension keeps, made once per item
  CHECK(calls[5].in_loop);       // d(): work repeated per item
}

TEST_CASE("a name bound to a call's result calls that result's methods", "[python]") {
  const SourceFile source("m.py", "import requests\n"
                                  "session = requests.Session()\n"
                                  "def fetch(url):\n"
                                  "    session.get(url)\n"
                                  "    with requests.session() as s:\n"
                                  "        s.post(url)\n"
                                  "class Api:\n"
                                  "    def __init__(self):\n"
                                  "        self.http = requests.Session()\n"
                                  "    def call(self):\n"
                                  "        self.http.put(1)\n"
                                  "either = requests.Session()\n"
                                  "either = 3\n"
                                  "either.get(2)\n");
  const Module module(source);
  std::vector<std::string> callees;
  for (const Call &call : module.calls())
    callees.push_back(call.callee);
  CHECK(callees == std::vector<std::string>{"requests.Session", "requests.Session().get",
                                            "requests.session", "requests.session().post",
                                            "requests.Session", "requests.Session().put",
                                            "requests.Session", ""});
}

TEST_CASE("literals are read as Python reads them", "[python]") {
  const SourceFile source("m.py", "g(None, 10, -3, 0x10, 1_000, 'a' 'b', f'{x}', 1.5)\n");
  const Module module(source);
  const auto &args = module.calls()[0].positional;
  REQUIRE(args.size() == 8);
  CHECK(module.is_none(args[0]));
  CHECK(module.integer(args[1]) == 10);
  CHECK(module.integer(args[2]) == -3);
  CHECK(module.integer(args[3]) == 16);
  CHECK(module.integer(args[4]) == 1000);
  CHECK(module.string(args[5]) == "ab");
  CHECK_FALSE(module.string(args[6]));
  CHECK_FALSE(module.integer(args[7]));
}

TEST_CASE("syntax errors are reported and the recovered rest is still analyzed", "[python]") {
  const SourceFile source("m.py", "def broken(:\n    pass\n\nimport queue\nqueue.Queue()\n");
  const Module module(source);
  REQUIRE(module.syntax_error());
  CHECK(module.syntax_error()->at.line == 1);
  CHECK(std::find(callees(module).begin(), callees(module).end(), "queue.Queue") !=
        callees(module).end());
}

TEST_CASE("Python 3.14 syntax parses: except without parentheses (PEP 758)", "[python]") {
  const SourceFile source("m.py", "import queue\n"
                                  "try:\n"
                                  "    q = queue.Queue()\n"
                                  "except ValueError, TypeError:\n"
                                  "    pass\n"
                                  "try:\n"
                                  "    pass\n"
                                  "except* OSError, KeyError:\n"
                                  "    pass\n");
  const Module module(source);
  CHECK_FALSE(module.syntax_error());
  CHECK(callees(module) == std::vector<std::string>{"queue.Queue"});
}

TEST_CASE("a BOM, CRLF, tabs and invalid UTF-8 keep columns in characters", "[python]") {
  const SourceFile source("m.py", "\xEF\xBB\xBFimport queue\r\n"
                                  "if x:\r\n"
                                  "\ts = '\xff\xfe é'; q = queue.Queue()\r\n");
  const Module module(source);
  REQUIRE(module.calls().size() == 1);
  const Span span = module.span(module.calls()[0].node);
  CHECK(span.start == Position{3, 18});
  CHECK(span.end == Position{3, 31});
}

TEST_CASE("deeply nested input does not exhaust the stack", "[python]") {
  const SourceFile source("m.py",
                          "x = " + std::string(20000, '(') + "1" + std::string(20000, ')') + "\n");
  const Module module(source);
  CHECK(module.calls().empty());
}

} // namespace
} // namespace leash::python

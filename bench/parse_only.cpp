// The floor for the Python benchmark: tree-sitter parsing the files listed in argv[1] and nothing
// else (read, parse, free), on one thread. leash's own cost is what it adds on top.
#include <tree_sitter/api.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

extern "C" const TSLanguage *tree_sitter_python();

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: leash_parse_only FILE_LIST\n";
    return 2;
  }
  std::ifstream list(argv[1]);
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_python());
  size_t files = 0, nodes = 0;
  for (std::string path; std::getline(list, path);) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string source = std::move(text).str();
    TSTree *tree = ts_parser_parse_string(parser, nullptr, source.data(),
                                          static_cast<uint32_t>(source.size()));
    nodes += ts_node_child_count(ts_tree_root_node(tree)) > 0;
    ts_tree_delete(tree);
    ++files;
  }
  ts_parser_delete(parser);
  std::cout << files << " files parsed (" << nodes << " non-empty)\n";
  return 0;
}

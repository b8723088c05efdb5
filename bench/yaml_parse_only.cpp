// The floor for the YAML benchmark: yaml-cpp loading every document of the files listed in
// argv[1] and nothing else (read, parse, free), on one thread. leash's own cost is what it adds on
// top; leash also skips files and documents no check reads, which this floor parses.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: leash_yaml_parse_only FILE_LIST\n";
    return 2;
  }
  std::ifstream list(argv[1]);
  size_t files = 0, documents = 0, failed = 0;
  for (std::string path; std::getline(list, path);) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    try {
      documents += YAML::LoadAll(std::move(text).str()).size();
    } catch (const YAML::Exception &) {
      ++failed;
    }
    ++files;
  }
  std::cout << files << " files, " << documents << " documents, " << failed << " not YAML\n";
  return 0;
}

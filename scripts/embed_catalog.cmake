# Writes OUTPUT: a C++ file holding every rules/*.yaml and rules/*.md as raw string literals, so the
# rule catalog is data compiled into the binary. Run by the build (see CMakeLists.txt).
file(GLOB yamls ${RULES_DIR}/*.yaml)
list(SORT yamls)
set(body "")
foreach(yaml IN LISTS yamls)
  get_filename_component(id ${yaml} NAME_WE)
  set(md ${RULES_DIR}/${id}.md)
  file(READ ${yaml} yaml_text)
  set(md_text "")
  if(EXISTS ${md})
    file(READ ${md} md_text)
  endif()
  string(APPEND body "    {\"${id}\", R\"leash_rule(${yaml_text})leash_rule\",\n"
                     "     R\"leash_rule(${md_text})leash_rule\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp "// Generated from rules/ by scripts/embed_catalog.cmake. Do not edit.
#include \"core/catalog.h\"

namespace leash {
const std::vector<EmbeddedRule> &embedded_rules() {
  static const std::vector<EmbeddedRule> rules = {
${body}  };
  return rules;
}
} // namespace leash
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)

# Turns a tool's --help text (tools/help/<tool>.txt) into the C string the tool prints.
# Invoked as: cmake -DIN=tools/help/exsol-gen.txt -DOUT=file.c -P embed_help.cmake
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
get_filename_component(name ${IN} NAME)
set(body "/* Generated from tools/help/${name} by cmake/embed_help.cmake. Do not edit. */\n")
string(APPEND body "extern const char exsol_tool_usage[];\n")
string(APPEND body "const char exsol_tool_usage[] = {${hex}0x00};\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.tmp)

#pragma once
// The subcommands. Each parses its own options and returns the exit status
// (0 on success, also after --help); problems are thrown as tdam::Error and
// reported by main as "tdam <command>: error: <message>" with status 2.
#include <string>
#include <vector>

namespace tdam::cli {

using Args = std::vector<std::string>;

int cmd_capacity(const Args& args);
int cmd_recall(const Args& args);
int cmd_basin(const Args& args);
int cmd_sweep(const Args& args);
int cmd_generate(const Args& args);

}  // namespace tdam::cli

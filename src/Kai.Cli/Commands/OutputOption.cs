using System.CommandLine;

namespace Kai.Cli.Commands;

/// <summary>The <c>--output</c> option shared by the commands: <c>table</c> (default) or <c>json</c>.</summary>
internal static class OutputOption
{
    public static Option<string> Create()
    {
        var option = new Option<string>("--output", "-o") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        option.AcceptOnlyFromAmong("table", "json");
        return option;
    }

    public static bool IsJson(this ParseResult parse, Option<string> option) => parse.GetValue(option) == "json";
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kai.Scheduling.Tests.Architecture;

/// <summary>
/// No method, constructor, accessor, operator or local function in <c>src/</c> has a body over
/// <see cref="MaxBodyLines"/> lines: a longer one is split into named steps. Measured on Roslyn's syntax trees of
/// every <c>src/**/*.cs</c>: a body's lines run from its opening brace (or <c>=&gt;</c>) to its end, lambdas and
/// local functions inside it included.
/// </summary>
public sealed class MethodLengthTests
{
    private const int MaxBodyLines = 60;

    [Fact]
    public void SourceMethods_WhenMeasured_NoneIsOverSixtyLines()
    {
        var tooLong = MeasureSource().Where(m => m.Lines > MaxBodyLines).Select(m => m.ToString()).ToList();

        Assert.True(tooLong.Count == 0, $"Bodies over {MaxBodyLines} lines; split them into named steps:\n{string.Join('\n', tooLong)}");
    }

    [Fact]
    public void Measure_WhenBodiesOfEachKind_CountsFromOpeningToEnd()
    {
        const string source = """
            namespace N;
            class C
            {
                C()
                {
                    var a = 1;
                }

                int P
                {
                    get
                    {
                        return 1;
                    }
                }

                int M() =>
                    1 +
                    2;

                void L()
                {
                    int Local()
                    {
                        return 1;
                    }
                }
            }
            """;

        var measured = Measure(CSharpSyntaxTree.ParseText(source), "C.cs").ToDictionary(m => m.Name, m => m.Lines);

        Assert.Equal(3, measured["C..ctor"]);
        Assert.Equal(3, measured["C.P.get"]);
        Assert.Equal(3, measured["C.M"]);
        Assert.Equal(6, measured["C.L"]);
        Assert.Equal(3, measured["C.L.Local"]);
    }

    [Fact]
    public void MeasureSource_WhenRun_FindsTheSourceTree()
    {
        var measured = MeasureSource().ToList();

        // Guards against a scan that silently reads nothing (a moved folder) and so always passes.
        Assert.True(measured.Count > 2_000, $"only {measured.Count} bodies found under src/");
        Assert.Contains(measured, m => m.Name == "SchedulingEngine.RunCycle");
    }

    private static IEnumerable<MeasuredBody> MeasureSource()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Measure(CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f), Path.GetRelativePath(src, f)));
    }

    private static IEnumerable<MeasuredBody> Measure(SyntaxTree tree, string file)
    {
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            var body = BodyOf(node);
            if (body is null)
            {
                continue;
            }

            var span = tree.GetLineSpan(body.Span);
            yield return new MeasuredBody(NameOf(node), file, span.StartLinePosition.Line + 1, span.EndLinePosition.Line - span.StartLinePosition.Line + 1);
        }
    }

    private static SyntaxNode? BodyOf(SyntaxNode node) => node switch
    {
        BaseMethodDeclarationSyntax m => (SyntaxNode?)m.Body ?? m.ExpressionBody,
        AccessorDeclarationSyntax a => (SyntaxNode?)a.Body ?? a.ExpressionBody,
        LocalFunctionStatementSyntax l => (SyntaxNode?)l.Body ?? l.ExpressionBody,
        PropertyDeclarationSyntax p => p.ExpressionBody,
        IndexerDeclarationSyntax i => i.ExpressionBody,
        _ => null,
    };

    /// <summary>Type-qualified: <c>Outer.Inner.Method</c>, <c>Type..ctor</c>, <c>Type.Property.get</c>, <c>Type.Method.Local</c>.</summary>
    private static string NameOf(SyntaxNode node)
    {
        var parts = new List<string>();
        for (var current = node; current is not null; current = current.Parent)
        {
            var part = current switch
            {
                MethodDeclarationSyntax m => m.Identifier.Text,
                ConstructorDeclarationSyntax => ".ctor",
                DestructorDeclarationSyntax => "Finalize",
                OperatorDeclarationSyntax o => $"op_{o.OperatorToken.Text}",
                ConversionOperatorDeclarationSyntax c => $"op_{c.ImplicitOrExplicitKeyword.Text}",
                AccessorDeclarationSyntax a => a.Keyword.Text,
                PropertyDeclarationSyntax p => p.Identifier.Text,
                IndexerDeclarationSyntax => "this[]",
                EventDeclarationSyntax e => e.Identifier.Text,
                LocalFunctionStatementSyntax l => l.Identifier.Text,
                BaseTypeDeclarationSyntax t => t.Identifier.Text,
                _ => null,
            };
            if (part is not null)
            {
                parts.Add(part);
            }
        }

        parts.Reverse();
        return string.Join('.', parts);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kai.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"Kai.slnx was not found above {AppContext.BaseDirectory}.");
    }

    private sealed record MeasuredBody(string Name, string File, int Line, int Lines)
    {
        public override string ToString() => $"  {Name} ({File}:{Line}): {Lines} lines";
    }
}

using System.Globalization;
using System.Text;

namespace Bridge.Infra.Tests.Arm;

/// <summary>The parts of an ARM template expression: <c>format('{0}-x', parameters('name')).id</c>.</summary>
public abstract record Expression;

public sealed record Literal(object? Value) : Expression;

public sealed record Call(string Function, IReadOnlyList<Expression> Arguments) : Expression;

public sealed record PropertyAccess(Expression Target, string Property) : Expression;

public sealed record IndexAccess(Expression Target, Expression Index) : Expression;

/// <summary>Parses the text between the brackets of an ARM expression string.</summary>
public sealed class ExpressionParser
{
    private readonly string text;
    private int position;

    private ExpressionParser(string text) => this.text = text;

    public static Expression Parse(string text)
    {
        var parser = new ExpressionParser(text);
        var expression = parser.ParseExpression();
        parser.SkipWhitespace();
        if (parser.position != text.Length)
        {
            throw parser.Error("unexpected text after the expression");
        }

        return expression;
    }

    private Expression ParseExpression()
    {
        var expression = ParsePrimary();
        while (true)
        {
            SkipWhitespace();
            if (TryConsume('.'))
            {
                expression = new PropertyAccess(expression, ReadIdentifier());
            }
            else if (TryConsume('['))
            {
                var index = ParseExpression();
                Expect(']');
                expression = new IndexAccess(expression, index);
            }
            else
            {
                return expression;
            }
        }
    }

    private Expression ParsePrimary()
    {
        SkipWhitespace();
        if (position >= text.Length)
        {
            throw Error("expression ends early");
        }

        var next = text[position];
        if (next == '\'')
        {
            return new Literal(ReadString());
        }

        if (char.IsDigit(next) || next == '-')
        {
            return new Literal(ReadInteger());
        }

        var name = ReadIdentifier();
        Expect('(');
        var arguments = new List<Expression>();
        SkipWhitespace();
        if (!TryConsume(')'))
        {
            do
            {
                arguments.Add(ParseExpression());
                SkipWhitespace();
            }
            while (TryConsume(','));
            Expect(')');
        }

        return new Call(name, arguments);
    }

    private string ReadString()
    {
        Expect('\'');
        var value = new StringBuilder();
        while (true)
        {
            if (position >= text.Length)
            {
                throw Error("unterminated string");
            }

            var c = text[position++];
            if (c != '\'')
            {
                value.Append(c);
            }
            else if (position < text.Length && text[position] == '\'')
            {
                value.Append('\'');
                position++;
            }
            else
            {
                return value.ToString();
            }
        }
    }

    private long ReadInteger()
    {
        var start = position;
        if (text[position] == '-')
        {
            position++;
        }

        while (position < text.Length && char.IsDigit(text[position]))
        {
            position++;
        }

        return long.Parse(text.AsSpan(start, position - start), CultureInfo.InvariantCulture);
    }

    private string ReadIdentifier()
    {
        SkipWhitespace();
        var start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] == '_'))
        {
            position++;
        }

        if (start == position)
        {
            throw Error("expected a name");
        }

        return text[start..position];
    }

    private void Expect(char c)
    {
        SkipWhitespace();
        if (!TryConsume(c))
        {
            throw Error($"expected '{c}'");
        }
    }

    private bool TryConsume(char c)
    {
        if (position < text.Length && text[position] == c)
        {
            position++;
            return true;
        }

        return false;
    }

    private void SkipWhitespace()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private FormatException Error(string problem) =>
        new($"Cannot parse ARM expression at {position} ({problem}): {text}");
}

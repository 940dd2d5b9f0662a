namespace OptiFlow.Cli.Configuration;

/// <summary>The kind of a value read from a TOML or JSON configuration file.</summary>
internal enum ConfigValueKind
{
    /// <summary>A string.</summary>
    String,

    /// <summary>An integer (TOML integer, JSON number without fraction or exponent).</summary>
    Integer,

    /// <summary>A number with a fraction or an exponent.</summary>
    Float,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>An array of values.</summary>
    Array,

    /// <summary>Anything else (a TOML date, a JSON null): never an option's value.</summary>
    Other,
}

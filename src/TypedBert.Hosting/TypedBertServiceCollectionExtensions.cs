using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedBert.Classification;
using TypedBert.Typed;

namespace TypedBert.Hosting;

/// <summary>Registers TypedBert classifiers in a service collection.</summary>
public static class TypedBertServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="BertClassifier{TEnum}"/> as a singleton, with options bound from <paramref name="section"/>
    /// (for example <c>configuration.GetSection("TypedBert:Topic")</c>) and checked when the host starts.
    /// Without a <c>ModelPath</c> the enum's <c>[BertLabels(ModelPath = ...)]</c> is used.
    /// </summary>
    public static IServiceCollection AddTypedBertClassifier<TEnum>(this IServiceCollection services, IConfiguration section) where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddTyped<TEnum>(services, builder => builder.Bind(section), KeyPrefix(section));
    }

    /// <summary>Adds <see cref="BertClassifier{TEnum}"/> as a singleton with options set in code, checked when the host starts.</summary>
    public static IServiceCollection AddTypedBertClassifier<TEnum>(this IServiceCollection services, Action<TypedBertClassifierOptions> configure) where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddTyped<TEnum>(services, builder => builder.Configure(configure), $"{typeof(TEnum).Name} classifier option ");
    }

    /// <summary>
    /// Adds an untyped <see cref="TextClassifier"/> as a keyed singleton under <paramref name="name"/>
    /// (inject it with <c>[FromKeyedServices("name")]</c>), with options bound from <paramref name="section"/>.
    /// It loads on first resolution and is disposed with the container.
    /// </summary>
    public static IServiceCollection AddTypedBertClassifier(this IServiceCollection services, string name, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddUntyped(services, name, builder => builder.Bind(section), KeyPrefix(section));
    }

    /// <summary>Adds an untyped <see cref="TextClassifier"/> as a keyed singleton under <paramref name="name"/>, with options set in code.</summary>
    public static IServiceCollection AddTypedBertClassifier(this IServiceCollection services, string name, Action<TypedBertClassifierOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddUntyped(services, name, builder => builder.Configure(configure), $"{name} classifier option ");
    }

    static IServiceCollection AddTyped<TEnum>(IServiceCollection services, Action<OptionsBuilder<TypedBertClassifierOptions>> configure, string keyPrefix)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(services);
        string name = typeof(TEnum).FullName!;
        if (!EnumLabels<TEnum>.TryGet(out var labels)) throw new ArgumentException(EnumLabels<TEnum>.Missing, nameof(TEnum));
        string? fromAttribute = labels.ModelPath;
        var builder = services.AddOptions<TypedBertClassifierOptions>(name);
        configure(builder);
        builder.PostConfigure(options =>
        {
            if (string.IsNullOrWhiteSpace(options.ModelPath)) options.ModelPath = fromAttribute;
            if (!string.IsNullOrWhiteSpace(options.ModelPath)) options.ModelPath = ModelLocation.Resolve(options.ModelPath);
        }).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TypedBertClassifierOptions>>(new TypedBertClassifierOptionsValidator(name, keyPrefix,
            $" (or [BertLabels(ModelPath = \"...\")] on {typeof(TEnum).Name})"));
        services.AddSingleton(provider => new BertClassifier<TEnum>(
            provider.GetRequiredService<IOptionsMonitor<TypedBertClassifierOptions>>().Get(name),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("TypedBert.Hosting")));
        return services;
    }

    static IServiceCollection AddUntyped(IServiceCollection services, string name, Action<OptionsBuilder<TypedBertClassifierOptions>> configure, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var builder = services.AddOptions<TypedBertClassifierOptions>(name);
        configure(builder);
        builder.PostConfigure(options =>
        {
            if (!string.IsNullOrWhiteSpace(options.ModelPath)) options.ModelPath = ModelLocation.Resolve(options.ModelPath);
        }).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TypedBertClassifierOptions>>(new TypedBertClassifierOptionsValidator(name, keyPrefix));
        services.AddKeyedSingleton(name, (provider, _) => ClassifierLoader.Load(name,
            provider.GetRequiredService<IOptionsMonitor<TypedBertClassifierOptions>>().Get(name),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("TypedBert.Hosting")));
        return services;
    }

    // Messages name the key as it appears in configuration: "TypedBert:Topic:ModelPath".
    static string KeyPrefix(IConfiguration section) => section is IConfigurationSection { Path.Length: > 0 } named ? named.Path + ":" : "";
}

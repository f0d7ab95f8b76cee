namespace TypedBert.Generators.Model;

/// <summary>What the compilation's C# version lets generated code use.</summary>
/// <param name="ExtensionMembers">C# 14 static extension members: <c>Topic.Predict(...)</c> on the enum type itself.</param>
/// <param name="ModuleInitializers">C# 9 module initializers: the enum's labels (EnumLabels) register themselves when the assembly loads.</param>
internal readonly record struct LanguageFeatures(bool ExtensionMembers, bool ModuleInitializers);

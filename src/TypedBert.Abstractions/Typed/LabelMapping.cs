using System;
using System.ComponentModel;

namespace TypedBert.Typed;

/// <summary>Gone: <c>TypedClassifier&lt;TEnum&gt;</c> checks a model's labels against the enum when it loads or wraps one.</summary>
[Obsolete("TypedClassifier<TEnum>.Load and Wrap (and the generated {Enum}Classifier.Load) check a model's labels against the enum and list every difference in their InvalidDataException; call them instead", error: true)]
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LabelMapping
{
}

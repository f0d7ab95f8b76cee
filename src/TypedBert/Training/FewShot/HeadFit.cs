namespace TypedBert.Training.FewShot;

/// <summary>How <see cref="FewShotTrainer"/> fits the head on the tuned features.</summary>
public enum HeadFit
{
    /// <summary>
    /// SetFit's head: L2-regularised logistic regression (scikit-learn's <c>LogisticRegression()</c> defaults, strength
    /// <see cref="FewShotOptions.HeadC"/>) solved to its optimum by L-BFGS, on unit-length features when
    /// <see cref="FewShotOptions.NormalizeHeadFeatures"/> is set. Needs a head that is one linear layer (BERT, DistilBERT, ALBERT);
    /// other heads are fitted by <see cref="GradientDescent"/>.
    /// </summary>
    LogisticRegression,

    /// <summary>The model's own head and loss trained full-batch by AdamW for <see cref="FewShotOptions.HeadSteps"/> steps (any head).</summary>
    GradientDescent,
}

extension ConfusionMatrix {
    /// Counts `observations`, calling a sample predicted positive when `predicted` returns true.
    public init(_ observations: [EvalObservation], predicted: (EvalObservation) -> Bool) {
        self.init()
        for o in observations { add(positive: o.positive, predicted: predicted(o)) }
    }
}

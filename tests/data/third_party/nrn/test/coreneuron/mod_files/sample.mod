NEURON	{
	SUFFIX Sample
	RANGE decay, gamma
}


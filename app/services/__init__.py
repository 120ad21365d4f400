"""Use cases. Each public function validates, acts and owns its transaction."""

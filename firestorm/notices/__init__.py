"""What a volunteer is told about their reviews: approved, returned, published."""

"""Pure functions returning Dash component trees and Plotly figures. No data access: pages pass data in."""
